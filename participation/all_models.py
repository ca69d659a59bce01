"""Every model module, imported in one place: SQLAlchemy resolves a relationship named by a
string only when the class it names is loaded, so a process (a test file alone, a CLI command)
that touched one area first would meet unconfigured mappers. create_app and the tests' conftest
import this; tests/unit/test_all_models.py fails when a module that defines a model is missing here."""

from participation.accounts import models as accounts  # noqa: F401
from participation.announcements import models as announcements  # noqa: F401
from participation.comments import models as comments  # noqa: F401
from participation.core import audit, settings  # noqa: F401
from participation.drafts import following as chapter_following  # noqa: F401
from participation.drafts import models as drafts  # noqa: F401
from participation.events import models as events  # noqa: F401
from participation.exports import models as exports  # noqa: F401
from participation.incorporation import models as incorporation  # noqa: F401
from participation.mail import models as mail  # noqa: F401
from participation.measures import models as measures  # noqa: F401
from participation.moderation import models as moderation  # noqa: F401
from participation.organisations import following as organisation_following  # noqa: F401
from participation.organisations import models as organisations  # noqa: F401
from participation.pages import models as pages  # noqa: F401
from participation.phases import models as phases  # noqa: F401
from participation.proposals import models as proposals  # noqa: F401
from participation.reporting import models as reporting  # noqa: F401
from participation.statistics import models as statistics  # noqa: F401
