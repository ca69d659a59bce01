"""What an import file would do, worked out without writing anything: each row read and checked,
each record it names found (a few set-based queries, none per row), and each row sorted into
create, update or unchanged. The preview shows this plan; the confirmation applies it
(participation.measures.transfer_apply) only when it has no problem at all."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from participation.drafts.models import TOPICS, Chapter
from participation.extensions import db
from participation.measures import transfer_cells as cells
from participation.measures.models import (
    DESCRIPTION_MAX,
    EXTERNAL_ID_MAX,
    PROGRESS_MODES,
    REASON_MAX,
    SOURCE_MAX,
    STATUSES,
    TITLE_MAX,
    UNIT_MAX,
    Indicator,
    IndicatorValue,
    Measure,
    Milestone,
)
from participation.measures.services import stored
from participation.measures.transfer import INDICATORS, MEASURES, MILESTONES, TABLES, VALUES, parse_generated
from participation.measures.transfer_read import Problem, Table, read_tables
from participation.organisations.models import Organisation
from participation.proposals.models import DISTRICTS

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
_IN_CHUNK = 900  # values per IN (...): SQLite allows a few thousand


@dataclass(eq=False)  # rows are told apart by identity: they stand for records not yet made
class Row:
    """One row of the file as it will be applied."""

    table: str
    number: int
    key: str  # its external id as written, or "" (a new record without one)
    action: str = UNCHANGED
    record: object = None  # the existing record, for updates
    values: dict = field(default_factory=dict)  # the fields to set (changed ones only, for updates)
    owner: object = None  # the measure's / indicator's Row or record it belongs to
    parent: object = None  # measures: the parent's Row or Measure, when the column is given
    reason: str = ""
    publish: bool = False


@dataclass
class Plan:
    filename: str
    rows: dict[str, list[Row]] = field(default_factory=lambda: {table: [] for table in TABLES})
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            table: {action: sum(1 for row in rows if row.action == action) for action in (CREATE, UPDATE, UNCHANGED)}
            for table, rows in self.rows.items()
        }

    def total(self, action: str) -> int:
        return sum(count[action] for count in self.counts().values())


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


def _find(model, keys: set[str], prefix: str) -> dict[str, object]:
    """Records by the id the file names them with: their external id, or "<prefix>-<id>" for one
    that has none (as the export writes it)."""
    found: dict[str, object] = {}
    named = [key for key in keys if key]
    for chunk in _chunks(named):
        for record in db.session.scalars(select(model).where(model.external_id.in_(chunk))):
            found[record.external_id] = record
    numbers = {}
    for key in named:
        generated = parse_generated(key)
        if generated and generated[0] == prefix and key not in found:
            numbers[generated[1]] = key
    for chunk in _chunks(numbers):
        for record in db.session.scalars(select(model).where(model.id.in_(chunk), model.external_id.is_(None))):
            found[numbers[record.id]] = record
    return found


class _Checker:
    def __init__(self, plan: Plan, table: str, number: int, source: dict):
        self.plan, self.table, self.number, self.source = plan, table, number, source
        self.failed = False

    def has(self, column: str) -> bool:
        return column in self.source

    def problem(self, column: str, message) -> None:
        self.plan.problems.append(Problem(self.table, self.number, column, str(message)))
        self.failed = True

    def read(self, column: str, reader, *args, **kwargs):
        try:
            return reader(self.source.get(column), *args, **kwargs)
        except cells.CellError as error:
            self.problem(column, error)
            return None


class Planner:
    def __init__(self, filename: str):
        self.plan = Plan(filename)
        self.statuses = cells.choices_by_name(STATUSES)
        self.modes = cells.choices_by_name(PROGRESS_MODES)
        self.topics = cells.choices_by_name(TOPICS)
        self.districts = cells.choices_by_name({**DISTRICTS, "citywide": "citywide"})

    def _keys(self, tables: dict[str, Table], table: str, column: str) -> set[str]:
        found = tables.get(table)
        return {str(cells.text(row.get(column), 1000, strip=True)) for _, row in found.rows} if found else set()

    def _ids(self, check: _Checker, known: dict, table: str, seen: set) -> tuple[str, object]:
        key = check.read("external_id", cells.text, EXTERNAL_ID_MAX)
        if not key:
            return "", None
        if key in seen:
            check.problem("external_id", _l("This id appears in more than one row of the table."))
        seen.add(key)
        record = known.get(key)
        if record is None and parse_generated(key):
            check.problem(
                "external_id",
                _l("An id like this names a record of the platform that does not exist (any more); leave it empty."),
            )
        return key, record

    def make(self, filename: str, data: bytes) -> Plan:
        tables, problems = read_tables(filename, data)
        self.plan.problems.extend(problems)
        measure_keys = (
            self._keys(tables, MEASURES, "external_id")
            | self._keys(tables, MEASURES, "parent_external_id")
            | self._keys(tables, MILESTONES, "measure_external_id")
            | self._keys(tables, INDICATORS, "measure_external_id")
        )
        self.measures = _find(Measure, measure_keys, "M")
        self.milestones = _find(Milestone, self._keys(tables, MILESTONES, "external_id"), "MS")
        self.indicators = _find(
            Indicator,
            self._keys(tables, INDICATORS, "external_id") | self._keys(tables, VALUES, "indicator_external_id"),
            "I",
        )
        names = db.session.execute(select(Organisation.id, Organisation.name))
        self.organisations = {name.strip().lower(): org_id for org_id, name in names}
        chapter_keys = self._keys(tables, MEASURES, "chapter_key") - {""}
        self.chapters = set()
        for chunk in _chunks(chapter_keys):
            self.chapters |= set(db.session.scalars(select(Chapter.lineage_key).where(Chapter.lineage_key.in_(chunk))))
        self.new_measures: dict[str, Row] = {}
        self.new_indicators: dict[str, Row] = {}
        if MEASURES in tables:
            self._measures(tables[MEASURES])
        if MILESTONES in tables:
            self._milestones(tables[MILESTONES])
        if INDICATORS in tables:
            self._indicators(tables[INDICATORS])
        if VALUES in tables:
            self._values(tables[VALUES])
        return self.plan

    # measures -------------------------------------------------------------------------------

    def _measure_values(self, check: _Checker, existing: Measure | None) -> dict:
        found = {}
        readers = {
            "title_de": (cells.text, TITLE_MAX, True),
            "title_en": (cells.text, TITLE_MAX),
            "description_de": (lambda v: cells.text(v, DESCRIPTION_MAX, strip=False),),
            "description_en": (lambda v: cells.text(v, DESCRIPTION_MAX, strip=False),),
            "topic": (cells.choice, self.topics, True),
            "inside_administration": (cells.yes_no,),
            "status": (cells.choice, self.statuses, True),
            "starts_on": (cells.day,),
            "planned_end_on": (cells.day,),
            "budget_eur": (lambda v: cells.number(v, minimum=0),),
            "district": (cells.choice, self.districts, True),
            "progress_mode": (cells.choice, self.modes, True),
            "weight": (lambda v: cells.number(v, positive=True),),
        }
        for column, (reader, *args) in readers.items():
            if check.has(column):
                value = check.read(column, reader, *args)
                if value is not None or column in ("budget_eur", "starts_on", "planned_end_on"):
                    found[column] = value
        if found.get("weight", 1) is None:
            found.pop("weight")
        if check.has("progress_percent"):
            value = check.read("progress_percent", cells.percent)
            found["progress_set"] = value if value is not None else 0
        if check.has("chapter_key"):
            key = check.read("chapter_key", cells.text, 32) or None
            if key and key not in self.chapters:
                check.problem("chapter_key", _l("No chapter of the plan has this key."))
            found["chapter_lineage"] = key
        if check.has("organisation"):
            name = check.read("organisation", cells.text, 200, True)
            if name:
                org_id = self.organisations.get(name.lower())
                if org_id is None:
                    check.problem("organisation", _l("There is no organisation of this name; an admin adds it first."))
                found["organisation_id"] = org_id
        if existing is None:
            for column in ("title_de", "topic", "organisation"):
                if not check.has(column):
                    check.problem(column, _l("A new measure needs this column."))
        start, end = (
            found.get("starts_on", getattr(existing, "starts_on", None)),
            found.get("planned_end_on", getattr(existing, "planned_end_on", None)),
        )
        if start and end and end < start:
            check.problem("planned_end_on", _l("The planned end lies before the start."))
        return found

    def _measures(self, table: Table) -> None:
        seen: set[str] = set()
        rows: list[tuple[Row, str]] = []
        for number, source in table.rows:
            check = _Checker(self.plan, MEASURES, number, source)
            key, existing = self._ids(check, self.measures, MEASURES, seen)
            row = Row(MEASURES, number, key, record=existing)
            values = self._measure_values(check, existing)
            parent_key = (
                check.read("parent_external_id", cells.text, EXTERNAL_ID_MAX)
                if check.has("parent_external_id")
                else None
            )
            if check.has("published"):
                published = check.read("published", cells.yes_no)
                if existing is not None and existing.is_public and published is False:
                    check.problem("published", _l("A public measure stays public; it cannot become a draft again."))
                row.publish = bool(published) and (existing is None or not existing.is_public)
            if existing is None:
                row.action, row.values = CREATE, values | {"external_id": key or None}
                if key:
                    self.new_measures[key] = row
            else:
                row.values = {k: v for k, v in values.items() if stored(getattr(existing, k)) != stored(v)}
                if "status" in row.values:
                    row.reason = check.read("status_reason", cells.text, REASON_MAX) or ""
                    if not row.reason:
                        check.problem("status_reason", _l("The status changes: please say why in this column."))
                row.action = UPDATE if row.values or row.publish else UNCHANGED
            rows.append((row, parent_key))
            self.plan.rows[MEASURES].append(row)
        self._parents(rows)

    def _parents(self, rows: list[tuple[Row, str | None]]) -> None:
        """Resolve the column parent_external_id, and refuse a measure that would become a part of itself."""
        up: dict[object, object] = dict(db.session.execute(select(Measure.id, Measure.parent_id)).all())
        for row, parent_key in rows:
            if parent_key is None:
                continue
            parent = self.new_measures.get(parent_key) or self.measures.get(parent_key) if parent_key else None
            if parent_key and parent is None:
                self.plan.problems.append(
                    Problem(MEASURES, row.number, "parent_external_id", str(_l("No measure has this id.")))
                )
                continue
            me = row.record.id if row.record is not None else row
            target = parent.id if isinstance(parent, Measure) else parent
            if row.record is None or row.record.parent_id != target:
                row.parent = parent
                row.values["parent_id"] = target  # made an id when the parent is created
                if row.action == UNCHANGED:
                    row.action = UPDATE
            up[me] = target
        for row, _ in rows:
            current, steps = up.get(row.record.id if row.record is not None else row), 0
            while current is not None and steps <= len(up):
                if current == (row.record.id if row.record is not None else row):
                    self.plan.problems.append(
                        Problem(
                            MEASURES,
                            row.number,
                            "parent_external_id",
                            str(_l("A measure cannot be a part of itself or of its own parts.")),
                        )
                    )
                    break
                current, steps = up.get(current), steps + 1

    # parts ----------------------------------------------------------------------------------

    def _owner(self, check: _Checker, column: str, new: dict, known: dict):
        key = check.read(column, cells.text, EXTERNAL_ID_MAX, True)
        if not key:
            return None
        owner = new.get(key) or known.get(key)
        if owner is None:
            check.problem(column, _l("No record has this id, neither in the file nor on the platform."))
        return owner

    def _part(self, check, table, existing, values, owner, owner_column, owner_field):
        row = Row(table, check.number, "", record=existing, owner=owner)
        if existing is None:
            row.action, row.values = CREATE, values
        else:
            if isinstance(owner, Row) or (owner is not None and getattr(existing, owner_field) != owner.id):
                check.problem(owner_column, _l("A part stays with its measure; it cannot move to another one."))
            row.values = {k: v for k, v in values.items() if stored(getattr(existing, k)) != stored(v)}
            row.action = UPDATE if row.values else UNCHANGED
        self.plan.rows[table].append(row)
        return row

    def _milestones(self, table: Table) -> None:
        seen: set[str] = set()
        for number, source in table.rows:
            check = _Checker(self.plan, MILESTONES, number, source)
            key, existing = self._ids(check, self.milestones, MILESTONES, seen)
            owner = self._owner(check, "measure_external_id", self.new_measures, self.measures)
            values = {}
            for column, reader, args in (
                ("title_de", cells.text, (TITLE_MAX, True)),
                ("title_en", cells.text, (TITLE_MAX,)),
                ("planned_on", cells.day, (True,)),
                ("achieved_on", cells.day, ()),
                ("weight", lambda v: cells.number(v, positive=True), ()),
            ):
                if check.has(column):
                    value = check.read(column, reader, *args)
                    if value is not None or column == "achieved_on":
                        values[column] = value
            if existing is None:
                for column in ("title_de", "planned_on"):
                    if not check.has(column):
                        check.problem(column, _l("A new milestone needs this column."))
                values["external_id"] = key or None
            row = self._part(check, MILESTONES, existing, values, owner, "measure_external_id", "measure_id")
            row.key = key

    def _indicators(self, table: Table) -> None:
        seen: set[str] = set()
        for number, source in table.rows:
            check = _Checker(self.plan, INDICATORS, number, source)
            key, existing = self._ids(check, self.indicators, INDICATORS, seen)
            owner = self._owner(check, "measure_external_id", self.new_measures, self.measures)
            values = {}
            for column, reader, args in (
                ("position", cells.whole, ()),
                ("title_de", cells.text, (TITLE_MAX, True)),
                ("title_en", cells.text, (TITLE_MAX,)),
                ("unit_de", cells.text, (UNIT_MAX,)),
                ("unit_en", cells.text, (UNIT_MAX,)),
                ("baseline", cells.number, ()),
                ("baseline_on", cells.day, ()),
                ("target", cells.number, (True,)),
                ("target_on", cells.day, ()),
            ):
                if check.has(column):
                    value = check.read(column, reader, *args)
                    if value is not None or column.endswith("_on"):
                        values[column] = value
            if "position" in values and values["position"] is None:
                values.pop("position")
            if check.has("baseline") and values.get("baseline") is None:
                values["baseline"] = 0.0
            if existing is None:
                for column in ("title_de", "target"):
                    if not check.has(column):
                        check.problem(column, _l("A new indicator needs this column."))
                values["external_id"] = key or None
            row = self._part(check, INDICATORS, existing, values, owner, "measure_external_id", "measure_id")
            row.key = key
            if existing is None and key:
                self.new_indicators[key] = row

    def _values(self, table: Table) -> None:
        known_ids = [ind.id for ind in self.indicators.values()]
        stored_values = {}
        for chunk in _chunks(known_ids):
            for value in db.session.scalars(select(IndicatorValue).where(IndicatorValue.indicator_id.in_(chunk))):
                stored_values[(value.indicator_id, value.measured_on)] = value
        seen = set()
        for number, source in table.rows:
            check = _Checker(self.plan, VALUES, number, source)
            owner = self._owner(check, "indicator_external_id", self.new_indicators, self.indicators)
            measured_on = check.read("measured_on", cells.day, True)
            value = check.read("value", cells.number, True)
            source_text = check.read("source", cells.text, SOURCE_MAX) if check.has("source") else None
            pair = (id(owner) if isinstance(owner, Row) else getattr(owner, "id", None), measured_on)
            if owner is not None and measured_on is not None and pair in seen:
                check.problem("measured_on", _l("This indicator has a value for this date in another row already."))
            seen.add(pair)
            existing = stored_values.get(pair) if isinstance(owner, Indicator) else None
            values = {"measured_on": measured_on, "value": value, "source": source_text}
            row = Row(VALUES, number, "", record=existing, owner=owner, values=values)
            if existing is None:
                row.action = CREATE
                values["source"] = source_text or ""
            else:
                changed = stored(existing.value) != stored(value)
                changed = changed or (source_text is not None and source_text != existing.source)
                if source_text is None:
                    values["source"] = existing.source
                row.action = UPDATE if changed else UNCHANGED
            self.plan.rows[VALUES].append(row)


def make_plan(filename: str, data: bytes) -> Plan:
    """The plan of an import file; raises transfer_read.UnreadableFile for a file that cannot be read."""
    return Planner(filename).make(filename, data)
