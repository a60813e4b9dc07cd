"""API coverage (issue 20): every public field of every public model is in /api/v1/ or deliberately left out.

Each model of the project is classified here:

* ``PUBLIC``: the component schemas of ``docs/openapi.json`` that carry it, the API names of fields
  the API renames (``ALIASES``), and the fields left out with the reason (``LEFT_OUT``);
* ``MODELS_LEFT_OUT``: models that are private (accounts, moderation, review answers…) or whose
  content reaches the API through another model, each with its reason.

A new model, or a new field on a public model, fails the test until it is added to the API or listed
here with its reason; a stale entry (a field or model that no longer exists, a left-out field that the
API now has) fails it too. Translated columns (``name_fr``…) are covered by their base name, which
the API returns in the language asked for.
"""

from django.apps import apps

from config.api import api

LANGS = ("ar", "en", "es", "fr", "ru", "zh_hans")
TIMESTAMPS = {"created_at": "bookkeeping of the row, not of the data", "updated_at": "bookkeeping of the row"}
VERSION = {"lock_version": "optimistic-concurrency counter; sent as `version` where a client can write"}

PUBLIC = {
    "stocktaking.Initiative": (["InitiativeOut"], {"lock_version": "version"}, {
        **TIMESTAMPS,
        "created_by": "personal data of the submitter",
        "submitted_at": "moderation bookkeeping",
        "moderator_comment": "addressed to the submitter only",
        "reminded_at": "bookkeeping of the yearly reminder",
        "search_vector": "derived search index",
        "facet_tokens": "derived search index",
    }),
    "stocktaking.InitiativeActionLine": (["TagOut"], {"action_line": "code"}, {
        "id": "row id of a tag", "initiative": "nested in its initiative",
        "is_primary": "given as InitiativeOut.primary_action_line", "added_by": "personal data: who added the tag", "confirmed_by": "personal data: which moderator confirmed it", "confirmed_at": "given as TagOut.confirmed (whether a moderator confirmed it)",
    }),
    "stocktaking.InitiativeGoal": (["TagOut"], {"goal": "code"}, {"id": "row id of a tag",
                                                                  "initiative": "nested in its initiative", "added_by": "personal data: who added the tag", "confirmed_by": "personal data: which moderator confirmed it", "confirmed_at": "given as TagOut.confirmed (whether a moderator confirmed it)"}),
    "stocktaking.InitiativeTarget": (["TagOut"], {"target": "code"}, {"id": "row id of a tag",
                                                                      "initiative": "nested in its initiative", "added_by": "personal data: who added the tag", "confirmed_by": "personal data: which moderator confirmed it", "confirmed_at": "given as TagOut.confirmed (whether a moderator confirmed it)"}),
    # Its "id" is not InitiativeOut.id (the initiative's): aliased to a name no schema has, and left out.
    "stocktaking.InitiativeTargetGroup": (["InitiativeOut"], {"group": "target_groups", "id": "(tag row id)"}, {
        "id": "row id of a tag", "initiative": "nested in its initiative"}),
    "stocktaking.InitiativeTranslation": (["TranslationOut"], {}, {**TIMESTAMPS, **VERSION, "id": "row id", "initiative": "nested in its initiative", "created_by": "personal data of the translator"}),
    "accounts.Organisation": (["OrganisationDetailOut"], {}, {
        **TIMESTAMPS, **VERSION, "id": "organisations are addressed by slug",
        "members": "personal data: who belongs to which organisation",
    }),
    "taxonomy.ActionLine": (["ActionLineOut"], {}, {
        **TIMESTAMPS, "id": "action lines are addressed by code", "parent": "the code carries the hierarchy",
        "order": "display order", "is_leaf": "the API lists the reporting units only",
    }),
    "taxonomy.Goal": (["GoalDetailOut"], {}, {**TIMESTAMPS, "id": "goals are addressed by number"}),
    "taxonomy.Target": (["TargetOut"], {}, {**TIMESTAMPS, "id": "targets are addressed by code",
                                            "goal": "nested in its goal", "order": "display order"}),
    "taxonomy.Indicator": (["SDGIndicatorOut"], {}, {**TIMESTAMPS, "id": "addressed by code",
                                                     "target": "the code carries the target", "order": "display order"}),
    "taxonomy.Country": (["CountryOut"], {}, {**TIMESTAMPS, "id": "countries are addressed by ISO3",
                                              "intermediate_region": "in the bulk downloads' countries table"}),
    "taxonomy.MatrixVersion": (["MatrixOut"], {"code": "version"}, {
        **TIMESTAMPS, "id": "addressed by code", "description": "shown on the Matrix page",
        "source": "given by the provenance list", "is_current": "the API serves the current version",
    }),
    "taxonomy.MatrixLink": (["MatrixLinkOut"], {}, {**TIMESTAMPS, "id": "row id",
                                                    "version": "nested in its version"}),
    "taxonomy.WSISTarget": (["WSISTargetOut"], {}, {**TIMESTAMPS, "id": "addressed by number"}),
    "taxonomy.Provenance": (["ProvenanceOut"], {}, {**TIMESTAMPS, "id": "row id",
                                                    "content_type": "nested in the record it describes",
                                                    "object_id": "nested in the record it describes"}),
    "indicators.Indicator": (["IndicatorDetailOut"], {}, {**TIMESTAMPS, "id": "addressed by code",
                                                          "order": "display order"}),
    "indicators.Observation": (["ObservationOut"], {"group_code": "aggregate_code", "group_name": "aggregate_name"}, {
        "id": "row id", "indicator": "nested in its indicator"}),
    "forum.ForumEdition": (["EditionDetailOut"], {}, {**TIMESTAMPS, "id": "editions are addressed by year",
                                                      "timezone": "times are sent with their offset",
                                                      "source": "given by the provenance list"}),
    "forum.ConsultationPhase": (["PhaseOut"], {}, {**TIMESTAMPS, "id": "addressed by number",
                                                  "edition": "nested in its edition",
                                                  "meeting_format": "shown on the consultation page",
                                                  "note": "shown on the consultation page"}),
    "forum.Session": (["SessionOut"], {"goals": "sdgs"}, {
        **TIMESTAMPS, **VERSION, "edition": "nested in its edition",
        "organisation": "the organisers are given as text", "submission": "proposals are private",
    }),
    "forum.SessionSpeaker": (["SpeakerOut"], {}, {
        "id": "row id", "session": "nested in its session", "key": "internal matching key",
        "gender": "personal data, published only as counts", "region": "personal data, published only as counts",
        "order": "the list is in order",
    }),
    "reviews.ReviewCycle": (["ReviewOut"], {"goals": "sdgs_under_review"}, {
        **TIMESTAMPS, **VERSION, "hlpf_session": "the year and SDGs give it",
        "opens_on": "questionnaire logistics", "closes_on": "questionnaire logistics",
        "state": "the API lists published reviews only", "created_by": "personal data",
    }),
    "reviews.ReviewReport": (["ReviewReportOut"], {"html_file": "html_url", "pdf_file": "pdf_url",
                                                   "docx_file": "docx_url"}, {
        **TIMESTAMPS, **VERSION, "id": "addressed by version", "cycle": "nested in its review",
        "status": "build bookkeeping", "progress": "build bookkeeping", "messages": "build log",
        "html_sha256": "checksum of the built HTML file (the download sends it)",
        "data": "served as figures by /reviews/{id}", "narratives": "served by /reviews/{id}",
        "started_at": "build bookkeeping", "finished_at": "build bookkeeping", "created_by": "personal data",
    }),
    "prizes.Contest": (["PrizeContestOut"], {}, {
        **TIMESTAMPS, "id": "contests are addressed by year",
        **dict.fromkeys(("submission_opens", "submission_closes", "nomination_opens", "nomination_closes",
                         "voting_opens", "voting_closes", "selection_opens", "selection_closes", "announcement_on"),
                        "given as PrizeContestOut.phases (each phase's first and last day)"),
    }),
    "prizes.Category": (["PrizeCategoryOut"], {"action_line": "code"}, {
        "id": "categories are addressed by their action-line code", "contest": "nested in its contest"}),
    "prizes.Entry": (["PrizeNomineeOut"], {"goals": "sdgs"}, {
        **TIMESTAMPS, "contest": "nested in its contest", "submitted_by": "personal data of the submitter",
        "state": "the API lists nominees only (entries the experts nominated; public from the vote on, as on the "
                 "pages); other entries are their organisation's",
        "nominated_by": "personal data: which expert decided", "nomination_note": "the expert's note to the "
                                                                                    "secretariat",
    }),
    "coordination.RoadMap": (["RoadMapOut"], {"targets": "sdg_targets"}, {
        **TIMESTAMPS, **VERSION, "id": "road maps are addressed by action-line code",
    }),
    "coordination.RoadMapVersion": (["RoadMapOut", "RoadMapVersionOut"], {"number": "version", "created_at":
                                                                           "published_at"}, {
        "id": "versions are addressed by number", "road_map": "nested in its road map",
        "data": "served as the road map's fields (RoadMapOut: summary, objectives, milestones…)",
        "published": "the API lists published versions only (drafts are the editors')",
        "created_by": "personal data",
    }),
    "coordination.Objective": (["RoadMapOut"], {"text": "objectives"}, {
        **TIMESTAMPS, "id": "row id: objectives are given in order as RoadMapOut.objectives",
        "road_map": "nested in its road map", "order": "the list is in order",
    }),
    "coordination.Milestone": (["MilestoneOut"], {}, {
        **TIMESTAMPS, **VERSION, "road_map": "nested in its road map",
        "decision": "given from the other side, as DecisionOut.milestone",
    }),
    "coordination.StatusUpdate": (["UpdateOut"], {}, {
        **TIMESTAMPS, "id": "row id", "milestone": "nested in its milestone", "author": "personal data"}),
    "coordination.EvidenceLink": (["EvidenceOut"], {}, {
        "id": "row id", "update": "nested in its status update",
        "initiative": "given as EvidenceOut.path (the initiative's page) and label (its title)"}),
    "coordination.Meeting": (["MeetingDetailOut"], {}, {**TIMESTAMPS, **VERSION}),
    "coordination.Decision": (["DecisionOut"], {}, {**TIMESTAMPS, "meeting": "nested in its meeting"}),
    "reports.GeneratedDocument": (["DocumentDetailOut", "DocumentFileOut"], {
        "data": "figures", **dict.fromkeys(("html_file", "pdf_file", "docx_file"), "files"),
        **dict.fromkeys(("html_sha256", "pdf_sha256", "docx_sha256"), "sha256")}, {
        **TIMESTAMPS, "params": "build parameters (the key names the edition; a reporting round's is internal)",
        "status": "build bookkeeping: the API lists published documents only", "progress": "build bookkeeping",
        "messages": "build log", "started_at": "build bookkeeping", "finished_at": "build bookkeeping",
        "created_by": "personal data", "published_by": "personal data",
    }),
    "stocktaking.ProgressReport": (["ProgressReportOut"], {}, {
        **TIMESTAMPS, "id": "one report per initiative and year: addressed by year",
        "initiative": "nested in its initiative (/initiatives/{id}/progress-reports)",
        "filed_by": "personal data of the member who filed it",
    }),
}

MODELS_LEFT_OUT = {
    "prizes.Vote": "secret ballot: only aggregate valid-vote counts are public (PrizeNomineeOut.valid_votes and "
                   "vote_rank, once the vote has closed); a voter reads their own by GET /prizes/contests/{year}/votes",
    "prizes.Score": "the Expert Group's scores are confidential; the public results give the outcome "
                    "(PrizeNomineeOut.outcome: winner, champion)",
    "prizes.ExpertAssignment": "private: which expert reviews which category",
    "prizes.ConflictDeclaration": "private: an expert's declared conflicts of interest",
    "coordination.ReportingRound": "internal: the secretariat's call to the facilitating agencies (pages behind "
                                   "sign-in); the compiled report is published as a document (/documents)",
    "coordination.Contribution": "internal: an agency's contribution to a reporting round, compiled into the "
                                 "published report (/documents)",
    "core.WorkerHeartbeat": "internal: the task worker's liveness, read by /readyz",
    "core.AuditLog": "private: who did what",
    "core.RoleGrant": "private: given to the signed-in user only, by /me",
    "core.FormToken": "internal: one-time form tokens",
    "accounts.User": "personal data (the signed-in user sees their own by /me)",
    "accounts.Membership": "personal data (the signed-in user sees their own by /me)",
    "accounts.OrganisationInvitation": "private",
    "accounts.ApiToken": "secret",
    "taxonomy.Agency": "facilitating agencies: shown on the action-line pages; not yet in the API",
    "taxonomy.StakeholderType": "its code and name are given with each organisation",
    "taxonomy.ActionLineFacilitator": "shown on the action-line pages; not yet in the API",
    "taxonomy.Region": "its M49 code and name are given with each country",
    "taxonomy.RegionalCommission": "its code is given with each country; the analytics filter by it",
    "taxonomy.CommissionMembership": "given as CountryOut.commissions",
    "taxonomy.CountryGroup": "given as CountryOut.ldc / lldc / sids with their provenance",
    "taxonomy.HLPFSession": "given with each review (its year and SDGs); the timeline is an iCalendar feed",
    "stocktaking.InitiativeRevision": "private: the editing history of an entry",
    "stocktaking.ExportJob": "private: a user's export jobs",
    "analytics.CoverageFact": "derived: served as the analytics endpoints' figures",
    "indicators.WSISTargetIndicator": "given as IndicatorDetailOut.wsis_targets",
    "reviews.Questionnaire": "private to the review's participants",
    "reviews.QuestionnaireSection": "private to the review's participants",
    "reviews.Question": "private to the review's participants",
    "reviews.Invitation": "private",
    "reviews.Response": "private until the report is published (then in its figures)",
    "reviews.Answer": "private until the report is published (then in its figures)",
    "reviews.Delegation": "private",
    "reviews.ForumSubmissionRecord": "bookkeeping of a hand-over",
    "forum.Submission": "private to its submitter and the reviewers (/forum/submissions with a token)",
    "forum.SubmissionSpeaker": "private, with its submission",
    "forum.Room": "given as SessionOut.room",
    "forum.SessionOutcome": "published in the edition's outcome document (PDF/DOCX); not yet in the API",
    "forum.OutcomeDocument": "a PDF/DOCX file linked from the forum pages",
    "forum.Milestone": "the WSIS timeline: an iCalendar feed and a page; not yet in the API",
    "classify.SuggestionRun": "internal: classifier runs",
    "classify.InitiativeSuggestion": "internal: suggestions awaiting a moderator",
    "opendata.Dump": "given by /opendata/downloads",
}


def _fields(model) -> list[str]:
    return [f.name for f in model._meta.get_fields() if (f.concrete or f.many_to_many) and not f.auto_created
            or f.name == "id"]


def _covered(name: str, props: set[str]) -> bool:
    return name in props or any(name.endswith(f"_{lang}") and name[: -len(lang) - 1] in props for lang in LANGS)


def test_every_model_is_public_or_left_out_with_a_reason():
    models = {m._meta.label for m in apps.get_models() if m.__module__.startswith("wsis.")}
    unclassified = models - set(PUBLIC) - set(MODELS_LEFT_OUT)
    assert not unclassified, f"Models neither in the API coverage table nor left out with a reason: {unclassified}"
    stale = (set(PUBLIC) | set(MODELS_LEFT_OUT)) - models
    assert not stale, f"Coverage entries naming no model: {stale}"
    assert all(MODELS_LEFT_OUT.values())


def coverage_problems(public: dict, schemas: dict) -> list[str]:
    """What the table gets wrong about the models and the API's component ``schemas``."""
    problems = []
    for label, (names, aliases, left_out) in public.items():
        model = apps.get_model(label)
        props = set()
        for name in names:
            if name not in schemas:
                problems.append(f"{label}: no schema {name} in the API")
            props |= set(schemas.get(name, {}).get("properties", {}))
        fields = _fields(model)
        for field in fields:
            in_api = _covered(aliases.get(field, field), props)
            if not in_api and field not in left_out:
                problems.append(f"{label}.{field}: neither in {names} nor left out with a reason")
            if in_api and field in left_out:
                problems.append(f"{label}.{field}: in the API but also listed as left out")
        for field in set(left_out) | set(aliases):
            if field not in fields:
                problems.append(f"{label}.{field}: listed here but the model has no such field")
        for field, reason in left_out.items():
            if not str(reason).strip():
                problems.append(f"{label}.{field}: left out without a reason")
    return problems


def test_every_public_field_is_in_the_api_or_left_out_with_a_reason():
    problems = coverage_problems(PUBLIC, api.get_openapi_schema()["components"]["schemas"])
    assert not problems, "\n".join(problems)


def test_a_field_neither_served_nor_left_out_fails_the_check():
    """The check itself: drop one left-out field, one alias, one schema property: each is reported."""
    schemas = api.get_openapi_schema()["components"]["schemas"]
    names, aliases, left_out = PUBLIC["prizes.Entry"]
    without_reason = {k: v for k, v in left_out.items() if k != "nomination_note"}
    assert coverage_problems({"prizes.Entry": (names, aliases, without_reason)}, schemas) == [
        "prizes.Entry.nomination_note: neither in ['PrizeNomineeOut'] nor left out with a reason"]
    assert coverage_problems({"prizes.Entry": (names, {}, left_out)}, schemas) == [
        "prizes.Entry.goals: neither in ['PrizeNomineeOut'] nor left out with a reason"]
    trimmed = {**schemas, "PrizeNomineeOut": {"properties": {
        k: v for k, v in schemas["PrizeNomineeOut"]["properties"].items() if k != "impact"}}}
    assert coverage_problems({"prizes.Entry": (names, aliases, left_out)}, trimmed) == [
        "prizes.Entry.impact: neither in ['PrizeNomineeOut'] nor left out with a reason"]
    assert coverage_problems({"prizes.Entry": (names, aliases, {**left_out, "impact": "x"})}, schemas) == [
        "prizes.Entry.impact: in the API but also listed as left out"]
