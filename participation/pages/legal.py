"""The facts the legal pages show in a fixed structure (imprint, privacy notice, accessibility
statement), which admins change on the page's edit form. They are site settings
(participation.core.settings) with their defaults in the configuration (LEGAL_SETTINGS), so a
change is logged in the audit log like any other setting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from participation.core.settings import all_settings


@dataclass(frozen=True)
class LegalField:
    name: str
    label: object
    required: bool = True
    kind: str = "text"  # text, email, url, date or status
    description: object = ""


ACCESSIBILITY_STATUS = {
    "full": _l("fully compliant"),
    "partial": _l("partially compliant"),
    "none": _l("not compliant"),
}

LEGAL_FIELDS: dict[str, tuple[LegalField, ...]] = {
    "imprint": (
        LegalField("imprint_provider", _l("Provider")),
        LegalField("imprint_legal_form", _l("Legal form")),
        LegalField("imprint_representative", _l("Represented by")),
        LegalField("imprint_address", _l("Postal address")),
        LegalField("imprint_phone", _l("Telephone")),
        LegalField(
            "imprint_email",
            _l("Email address"),
            kind="email",
            description=_l("The address for a quick electronic contact with the provider."),
        ),
        LegalField("imprint_supervisory_authority", _l("Supervisory authority")),
        LegalField(
            "imprint_vat_id",
            _l("VAT identification number"),
            required=False,
            description=_l("Only if the provider has one for this service; leave empty otherwise."),
        ),
        LegalField(
            "imprint_content_responsible",
            _l("Responsible for the content under § 18 (2) MStV"),
            description=_l("Name and address of the person responsible for the content."),
        ),
    ),
    "privacy": (
        LegalField("dpo_name", _l("Data protection officer")),
        LegalField("dpo_address", _l("Postal address of the data protection officer")),
        LegalField("dpo_email", _l("Email address of the data protection officer"), kind="email"),
        LegalField(
            "privacy_authority",
            _l("Data protection supervisory authority"),
            description=_l("Name, address and email address of the authority that hears complaints."),
        ),
    ),
    "accessibility": (
        LegalField("accessibility_status", _l("Status of compliance"), kind="status"),
        LegalField(
            "accessibility_reviewed_on",
            _l("Date the statement was prepared or last reviewed"),
            kind="date",
        ),
        LegalField("accessibility_feedback_email", _l("Email address for feedback on accessibility"), kind="email"),
        LegalField("accessibility_feedback_phone", _l("Telephone for feedback on accessibility"), required=False),
        LegalField("accessibility_enforcement", _l("Body responsible for the enforcement procedure")),
        LegalField("accessibility_enforcement_url", _l("Web address of the enforcement procedure"), kind="url"),
    ),
}

LEGAL_SLUGS = tuple(LEGAL_FIELDS)


def legal_fields(slug: str) -> tuple[LegalField, ...]:
    return LEGAL_FIELDS.get(slug, ())


def legal_values(slug: str) -> dict[str, str]:
    settings = all_settings()
    return {field.name: str(settings.get(field.name) or "") for field in legal_fields(slug)}


def missing_fields(slug: str) -> list[LegalField]:
    """The required facts of a legal page that are still empty, which admins are told about."""
    values = legal_values(slug)
    return [field for field in legal_fields(slug) if field.required and not values[field.name]]


def as_date(value: str) -> date | None:
    """A date fact (YYYY-MM-DD) for display; None when empty or not a date."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
