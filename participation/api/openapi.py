"""The OpenAPI 3.0 description of the public API, served at /api/openapi.json; the tests check the
API against it (schemathesis)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from participation.api import measures
from participation.drafts.models import TOPICS, VERSION_STATUSES
from participation.phases.models import ACTIONS
from participation.proposals.models import PUBLIC_STATUSES

bp = Blueprint("openapi", __name__)

INTEGER = {"type": "integer"}
TEXT = {"type": "string"}
MOMENT = {"type": "string", "format": "date-time", "nullable": True}
ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}  # what the database's keys hold


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _object(properties: dict) -> dict:
    return {"type": "object", "required": sorted(properties), "properties": properties}


def _list_of(name: str) -> dict:
    return _object(
        {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "total": {"type": "integer", "minimum": 0},
            "next": _nullable(TEXT),
            "previous": _nullable(TEXT),
        }
    )


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


PAGING = [
    _query(
        "page", "Page number, 1 to 100; beyond, go on with `after`.", {"type": "integer", "minimum": 1, "maximum": 100}
    ),
    _query("per_page", "Items per page, 1 to 100 (default 50).", {"type": "integer", "minimum": 1, "maximum": 100}),
]


AFTER = _query(
    "after",
    "Only items with a greater id (the `next` link uses it once you go on from an id): every item is "
    "reachable this way, however many there are.",
    {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
)


def _json(name: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def _operation(summary: str, result: str, parameters=(), not_found: bool = False) -> dict:
    responses = {
        "200": {"description": "OK", "content": _json(result)},
        "400": {"description": "A parameter is wrong", "content": _json("Error")},
        "429": {"description": "Too many requests from one address", "content": _json("Error")},
    }
    if not_found:
        responses["404"] = {"description": "No such public item", "content": _json("Error")}
    return {"get": {"summary": summary, "parameters": list(parameters), "responses": responses}}


def _path(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": ID,
    }


def document() -> dict:
    version = {
        "number": INTEGER,
        "round": {
            **_nullable(INTEGER),
            "description": "The version round: the version's number once it is public. Its votes and draft "
            "comments belong to it, and the proposals and proposal comments written from its publication until "
            "the next version's (round 1 also holds everything before version 1).",
        },
        "comments_open": {
            "type": "boolean",
            "description": "Whether comments on this version's draft can be written right now: it is open for "
            "comments and a running phase opens them on this version.",
        },
        "votes_open": {
            "type": "boolean",
            "description": "Whether this version's paragraphs can be voted on right now (as comments_open).",
        },
        "title": TEXT,
        "status": {"type": "string", "enum": [s for s in VERSION_STATUSES if s != "preparing"]},
        "final": {"type": "boolean"},
        "published_at": MOMENT,
        "closed_at": MOMENT,
        "summary_of_changes": TEXT,
        "url": TEXT,
    }
    chapter = {
        "id": INTEGER,
        "number": INTEGER,
        "title": TEXT,
        "topic": _nullable({"type": "string", "enum": [*TOPICS]}),
        "introduction": TEXT,
        "comments": INTEGER,
    }
    votes = _object({"agree": INTEGER, "neutral": INTEGER, "disagree": INTEGER})
    paragraph = {
        "id": INTEGER,
        "number": {"type": "string", "pattern": r"^\d+\.\d+$"},
        "chapter_id": INTEGER,
        "subheading": _nullable(TEXT),
        "text": TEXT,
        "votes": votes,
        "comments": INTEGER,
        "lineage": TEXT,
    }
    proposal = {
        "id": INTEGER,
        "title": TEXT,
        "body": TEXT,
        "topic": _nullable(TEXT),
        "district": _nullable(TEXT),
        "chapter_id": _nullable(INTEGER),
        "stakeholder_group": TEXT,
        "status": {"type": "string", "enum": list(PUBLIC_STATUSES)},
        "published_at": MOMENT,
        "supports": INTEGER,
        "comments": INTEGER,
        "answer": _nullable(TEXT),
        "answered_at": MOMENT,
        "merged_into": _nullable(INTEGER),
        "url": TEXT,
    }
    comment = {
        "id": INTEGER,
        "proposal_id": _nullable(INTEGER),
        "chapter_id": _nullable(INTEGER),
        "paragraph_id": _nullable(INTEGER),
        "measure_id": {**_nullable(INTEGER), "description": "The measure of the action concept it is about."},
        "parent_id": _nullable(INTEGER),
        "kind": _nullable(TEXT),
        "body": TEXT,
        "stakeholder_group": TEXT,
        "published_at": MOMENT,
        "answer_status": _nullable(TEXT),
        "answer": _nullable(TEXT),
        "answered_at": MOMENT,
    }
    bilingual = _object({"de": TEXT, "en": TEXT})
    phase = {
        "slug": TEXT,
        "title": bilingual,
        "description": {**bilingual, "description": "Plain text or Markdown, German and English."},
        "starts_at": {"type": "string", "format": "date-time"},
        "ends_at": {**MOMENT, "description": "Null for a phase without an end."},
        "opens": {
            "type": "array",
            "items": {"type": "string", "enum": list(ACTIONS)},
            "description": "What the phase opens while it runs: proposals, draft_comments, draft_votes, supports, "
            "measure_comments (comments on the measures of the action concept).",
        },
        "version": {
            **_nullable(INTEGER),
            "description": "The number of the version whose draft comments and votes the phase opens (null when "
            "it opens neither, or that version is not public yet).",
        },
        "running": {"type": "boolean", "description": "Whether the phase runs right now."},
    }
    error = {"error": TEXT, "message": TEXT}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Digitales Köln 2025: public participation data",
            "version": "1.0",
            "description": (
                "Read-only: the phases of the process, the public versions of the masterplan with their "
                "chapters and paragraphs (and the votes on each, whether comments and votes are open on each "
                "version now, and its round), the published proposals and comments with the city's answers; "
                "the action concept's published measures with their progress, and the published interim "
                "reports. Anonymised: authors appear only by stakeholder group."
            ),
            "license": {
                "name": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
                "url": "https://www.govdata.de/dl-de/by-2-0",
            },
        },
        "paths": {
            "/api/v1/phases": _operation(
                "The phases of the process: when each runs, what it opens and on which version", "PhaseList"
            ),
            "/api/v1/versions": _operation("The public versions of the masterplan", "VersionList"),
            "/api/v1/versions/{number}": {
                "parameters": [_path("number", "The version's number")],
                **_operation("A version with its chapters", "VersionDetail", not_found=True),
            },
            "/api/v1/versions/{number}/paragraphs": {
                "parameters": [_path("number", "The version's number")],
                **_operation("The paragraphs of a version with their votes", "ParagraphPage", PAGING, True),
            },
            "/api/v1/proposals": _operation(
                "Published proposals with their answers",
                "ProposalPage",
                [
                    *PAGING,
                    AFTER,
                    _query("topic", "Only this topic.", {"type": "string", "enum": list(TOPICS)}),
                    _query("status", "Only this status.", {"type": "string", "enum": list(PUBLIC_STATUSES)}),
                ],
            ),
            "/api/v1/proposals/{proposal_id}": {
                "parameters": [_path("proposal_id", "The proposal's number")],
                **_operation("One published proposal", "Proposal", not_found=True),
            },
            "/api/v1/comments": _operation(
                "Published comments on proposals, on the draft and on measures, with their answers",
                "CommentPage",
                [
                    *PAGING,
                    AFTER,
                    _query("proposal", "Only comments on this proposal.", ID),
                    _query("paragraph", "Only comments on this paragraph.", ID),
                ],
            ),
            **measures.paths(_operation, _query, _path, PAGING, AFTER),
        },
        "components": {
            "schemas": {
                "Phase": _object(phase),
                "PhaseList": _object({"items": {"type": "array", "items": {"$ref": "#/components/schemas/Phase"}}}),
                "Version": _object(version),
                "VersionList": _object({"items": {"type": "array", "items": {"$ref": "#/components/schemas/Version"}}}),
                "Chapter": _object(chapter),
                "VersionDetail": _object(
                    {**version, "chapters": {"type": "array", "items": {"$ref": "#/components/schemas/Chapter"}}}
                ),
                "Paragraph": _object(paragraph),
                "ParagraphPage": _list_of("Paragraph"),
                "Proposal": _object(proposal),
                "ProposalPage": _list_of("Proposal"),
                "Comment": _object(comment),
                "CommentPage": _list_of("Comment"),
                **measures.schemas(_list_of),
                "Error": {**_object(error), "properties": {**error, "parameter": TEXT}},
            }
        },
    }


@bp.route("/api/openapi.json")
def openapi():
    description = document()
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:  # from the setting, never the Host header; without it, OpenAPI's default: this host
        description["servers"] = [{"url": base.rstrip("/")}]
    response = jsonify(description)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
