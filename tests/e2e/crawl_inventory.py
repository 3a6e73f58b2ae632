"""Which URL patterns the crawl (tests/e2e/test_crawl.py) visits, as whom, with which
arguments from the demo data — and which it leaves out, and why.

Every pattern of the URL conf is found by walking the resolver (``url_patterns``) and gets a
key: its ``namespace:name``, or its route when it has no name. A key is either

- **crawled**: ``CRAWLED[key] = (role, build)`` where ``build(world)`` returns the path (or a
  list of paths) to open as ``role`` (anonymous, learner, editor, proctor, admin), ``world``
  being the objects the crawl's fixture made from the demo data; or
- **excluded**: the first ``EXCLUDED`` rule whose regular expression matches the key says why
  (JSON APIs are covered by tests/security, POST-only actions, downloads, Wagtail internals
  beyond the representative set, …).

A key that is neither fails ``test_every_url_pattern_is_classified``: a new page must be added
to the crawl (or excluded with a reason) when it is added to the URL conf.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ("anonymous", "learner", "editor", "proctor", "admin")


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the route for an unnamed pattern
    route: str
    view: str


def url_patterns(resolver=None, prefix="", namespace=""):
    """Every leaf pattern of the URL conf (depth first, in resolution order)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from url_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            key = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or route
            yield Pattern(key=key, route=route, view=entry.lookup_str)


# --- excluded, with the reason -------------------------------------------------------------

_WAGTAIL_INTERNAL = "Wagtail admin internals beyond the representative set (same chrome and templates)"
_VIEWSET_VARIANTS = (
    "viewset variants (results fragments, delete/copy/history/usage) of a crawled index/add/edit; "
    "same templates and chrome"
)

EXCLUDED: list[tuple[str, str]] = [
    # JSON endpoints: every one is a ninja operation, fuzzed and inventoried by tests/security.
    (r"^site_api:", "JSON API (tests/security/test_api_inventory.py)"),
    (r"^(exam_plugin:exam_api|proctor_plugin:proctor_api):", "JSON API (tests/security, tests/exam_plugin)"),
    (r"^wagtailadmin_api:", "Wagtail admin's JSON API for its own page chooser"),
    (r"^healthz$", "machine-readable health check (JSON)"),
    (r"^pwa:(service_worker|manifest|icon)$", "PWA machinery: script, manifest, PNG icons (tests/pwa)"),
    (r"^(admin:|django-admin/)", "Django's own admin: superuser maintenance of third-party tables, not product UI"),
    # POST-only actions, redirects and downloads.
    (r"^(accounts:logout|wagtailadmin_logout|set_language)$", "POST-only action (logout / language switch)"),
    (r"^pwa:remove_device$", "POST-only action"),
    (r"^registration:eligibility$", "POST-only HTML fragment the registration form posts its answers to"),
    (r"^exam_plugin:(sign_up|enter|start_mock)$", "POST-only action (exam sign-up / entry / mock start)"),
    (r"^proctor_plugin:device_test_done$", "POST-only action"),
    (r"^proctor_plugin_admin:(assign|act)$", "POST-only proctor console actions"),
    (r"^cert_plugin_admin:(revoke|reissue)$", "POST-only certificate actions"),
    (r"^survey_plugin:", "test-only example plugin (tests/survey_plugin), not installed in production"),
    (r"^dummy_plugin:", "test-only framework double (tests/dummy_plugin), not installed in production"),
    (r"^(lesson_video|wagtaildocs_serve|registration:material|registration:batch_template)$",
     "file download (video, document, upload, spreadsheet)"),
    (r"^(cert_plugin:download|cert_plugin_admin:pdf|course_content_admin:hours_export|course_content_admin:curriculum_export)$",
     "file download (PDF / CSV / archive)"),
    (r"^proctor_plugin_global:photo$", "image download (face photo, access-logged)"),
    (r"^exam_plugin_admin:exam_day_data$", "JSON polled by the exam-day panel"),
    (r"^proctor_plugin_admin:grid$", "HTML fragment polled by the proctor console page"),
    (r"^proctor_plugin_global:phone$", "second-camera page opened by a one-time token on the phone (tests/e2e/test_proctor_second_camera.py)"),
    (r"^(wagtaildocs_authenticate_with_password|wagtailcore_authenticate_with_password)$",
     "password-protected content: no such restriction in the demo data"),
    (r"^(wagtailcore_login|wagtailadmin_login)$", "alternative login forms redirecting to accounts:login"),
    (r"^wagtailadmin_password_reset", "Wagtail's password reset: off (WAGTAIL_PASSWORD_RESET_ENABLED)"),
    # Wagtail admin internals.
    (r"^admin/(test404/|\^\.\*/\$)$", "Wagtail's 404 handlers"),
    (r"^(wagtailadmin_error_test|wagtailadmin_sprite|wagtailadmin_javascript_catalog|wagtailadmin_dismissibles"
     r"|wagtailadmin_block_preview|wagtail_bulk_action|wagtailadmin_tag_autocomplete|wagtailadmin_tag_model_autocomplete)$",
     _WAGTAIL_INTERNAL),
    (r"^wagtailadmin_editing_sessions:", "editing-session pings (JSON)"),
    (r"^wagtailadmin_(choose_page|choose_page_child|choose_page_search|choose_page_chosen_multiple"
     r"|choose_page_external_link|choose_page_email_link|choose_page_phone_link|choose_page_anchor_link)$",
     "chooser modal fragments (JSON-wrapped HTML)"),
    (r"^(wagtaildocs_chooser|wagtailimages_chooser|wagtailembeds|wagtailadmin_workflows:task_chooser"
     r"|wagtailadmin_workflows:task_chosen)", "chooser modal fragments (JSON-wrapped HTML)"),
    (r"^wagtailadmin_explore_results$|:index_results$|_results$|:history_results$", "list results fragments"),
    (r"^wagtailadmin_pages:(add|preview_on_add|preview_on_edit|view_draft|type_use|choose_parent|usage|delete"
     r"|unpublish|convert_alias|move|move_confirm|set_page_position|copy|workflow_action"
     r"|collect_workflow_action_data|confirm_workflow_cancellation|workflow_preview|set_privacy|lock|unlock"
     r"|revisions_view|revisions_revert|revisions_unschedule|revisions_compare|workflow_history"
     r"|workflow_history_detail|search)$", _WAGTAIL_INTERNAL),
    (r"^wagtailadmin_collections:(add|edit|delete|set_privacy)$", _WAGTAIL_INTERNAL),
    (r"^wagtailadmin_workflows:(add|enable|disable|usage|remove|add_task|select_task_type|disable_task"
     r"|enable_task)$", _WAGTAIL_INTERNAL),
    (r"^wagtailadmin_reports:(locked_pages|workflow_tasks|aging_pages)$", _WAGTAIL_INTERNAL),
    (r"^wagtailforms:", "Wagtail forms: no form pages in this site"),
    (r"^wagtailsettings:", "no Wagtail settings models registered"),
    (r"^wagtailredirects:(add|edit|delete|start_import|process_import)$", _WAGTAIL_INTERNAL),
    (r"^wagtaildocs:(add|edit|delete|add_multiple|edit_multiple|create_multiple_from_uploaded_document"
     r"|delete_multiple|delete_upload_multiple|document_usage)$", _WAGTAIL_INTERNAL),
    (r"^wagtailimages:(edit|delete|url_generator|url_generator_output|preview|add|image_usage|add_multiple"
     r"|edit_multiple|create_multiple_from_uploaded_image|delete_multiple|delete_upload_multiple)$",
     _WAGTAIL_INTERNAL),
    (r"^wagtailsites:(add|edit|delete|history|usage|copy)$", _WAGTAIL_INTERNAL),
    (r"^wagtailusers_users:(delete|history|usage|copy)$", _WAGTAIL_INTERNAL),
    (r"^wagtailusers_groups:(delete|history|usage)$", _WAGTAIL_INTERNAL),
    (r"^(enrolments|eligibility_rules|training_organisations|working_day_overrides|pack_laptop_keys|question"
     r"|knowledgepoint|blueprint|examsitting):(delete|history|usage|copy)$", _VIEWSET_VARIANTS),
    (r"^face_image_access:inspect$", _VIEWSET_VARIANTS),
    (r"^pack_laptop_keys:(add|edit)$", "key upload form of the training-room packs (tests/packs)"),
    (r"^(exam_plugin:admission_ticket|exam_plugin_admin:admission_tickets)$",
     "PDF download (admission tickets; text checked in tests/exam_plugin/test_admission_ticket.py)"),
    (r"^accounts:password_reset_confirm$",
     "one-time link from the reset email (tests/accounts/test_password_recovery.py)"),
    (r"^registration:organisation_reset_password$",
     "needs a candidate the organisation registered, not the crawl's own learner; the page is "
     "the staff reset's template (crawled) and tests/registration/test_organisation_password_reset.py"),
]


# --- crawled, with the role and the path ---------------------------------------------------

def _page(kind):
    return lambda w: w.pages[kind].url


CRAWLED = {
    # Visitors.
    "accounts:login": ("anonymous", lambda w: "/accounts/login/"),
    "registration:start": ("anonymous", lambda w: f"/register/level/{w.level.pk}/"),
    "cert_plugin_global:lookup": ("anonymous", lambda w: "/certificates/lookup/"),
    "cert_plugin_global:verify": ("anonymous", lambda w: f"/certificates/verify/{w.certificate.number}/"),
    "pwa:offline": ("anonymous", lambda w: "/pwa/offline/"),
    "accounts:password_reset": ("anonymous", lambda w: "/accounts/password/forgotten/"),
    "accounts:password_reset_done": ("anonymous", lambda w: "/accounts/password/forgotten/sent/"),
    "accounts:password_reset_complete": ("anonymous", lambda w: "/accounts/password/reset/done/"),
    # Learners: every page type of the tree, the dashboard, registration, exams, proctoring, certificates.
    "wagtail_serve": ("learner", lambda w: [page.url for page in w.pages.values()]),
    "dashboard": ("learner", lambda w: "/dashboard/"),
    "accounts:password_change": ("learner", lambda w: "/accounts/password/"),
    "pwa:offline_storage": ("learner", lambda w: "/pwa/offline-storage/"),
    "pwa:devices": ("learner", lambda w: "/pwa/notifications/"),
    "registration:index": ("learner", lambda w: "/register/"),
    "registration:detail": ("learner", lambda w: f"/register/r/{w.registration.pk}/"),
    "registration:print": ("learner", lambda w: f"/register/r/{w.registration.pk}/print/"),
    "registration:organisation_home": ("learner", lambda w: "/register/organisation/"),
    "registration:organisation": ("learner", lambda w: f"/register/organisation/{w.organisation.pk}/"),
    "exam_plugin:home": ("learner", lambda w: "/programs/energy/exam/"),
    "exam_plugin:mock": ("learner", lambda w: "/programs/energy/exam/mock/"),
    "exam_plugin:practice": ("learner", lambda w: "/programs/energy/exam/practice/"),
    "exam_plugin:offline_practice": ("learner", lambda w: "/programs/energy/exam/practice/offline/"),
    "exam_plugin:attempt": ("learner", lambda w: f"/programs/energy/exam/attempts/{w.open_attempt.pk}/"),
    "exam_plugin:result": ("learner", lambda w: f"/programs/energy/exam/attempts/{w.handed_in.pk}/result/"),
    "proctor_plugin:device_test": ("learner", lambda w: "/programs/energy/proctor/device-test/"),
    "proctor_plugin:preflight": ("learner", lambda w: f"/programs/energy/proctor/s/{w.proctored.pk}/preflight/"),
    "cert_plugin:mine": ("learner", lambda w: "/programs/energy/certificates/"),
    # Content editors: the page explorer and the editor of every page type.
    "wagtailadmin_home": ("editor", lambda w: "/admin/"),
    "wagtailadmin_explore_root": ("editor", lambda w: "/admin/pages/"),
    "wagtailadmin_explore": ("editor", lambda w: f"/admin/pages/{w.pages['program'].pk}/"),
    "wagtailadmin_pages:edit": ("editor", lambda w: [f"/admin/pages/{p.pk}/edit/" for p in w.pages.values()]),
    "wagtailadmin_pages:add_subpage": ("editor", lambda w: f"/admin/pages/{w.pages['module'].pk}/add_subpage/"),
    "wagtailadmin_pages:revisions_index": ("editor", lambda w: f"/admin/pages/{w.pages['lesson'].pk}/revisions/"),
    "wagtailadmin_pages:history": ("editor", lambda w: f"/admin/pages/{w.pages['lesson'].pk}/history/"),
    "wagtailadmin_account": ("editor", lambda w: "/admin/account/"),
    "wagtaildocs:index": ("editor", lambda w: "/admin/documents/"),
    "wagtailimages:index": ("editor", lambda w: "/admin/images/"),
    # Proctors.
    "proctor_plugin_admin:index": ("proctor", lambda w: "/admin/proctor/"),
    "proctor_plugin_admin:sitting": ("proctor", lambda w: f"/admin/proctor/sittings/{w.sitting.pk}/"),
    "proctor_plugin_admin:timeline": ("proctor", lambda w: f"/admin/proctor/candidates/{w.proctored.pk}/"),
    # Administrators: settings, users, groups, workflows, reports, our views and viewsets.
    "wagtailadmin_pages:search": ("admin", lambda w: "/admin/pages/search/?q=节能"),
    "wagtailadmin_collections:index": ("admin", lambda w: "/admin/collections/"),
    "wagtailadmin_workflows:index": ("admin", lambda w: "/admin/workflows/list/"),
    "wagtailadmin_workflows:edit": ("admin", lambda w: f"/admin/workflows/edit/{w.workflow.pk}/"),
    "wagtailadmin_workflows:task_index": ("admin", lambda w: "/admin/workflows/tasks/index/"),
    "wagtailadmin_workflows:edit_task": ("admin", lambda w: f"/admin/workflows/tasks/edit/{w.task.pk}/"),
    "wagtailadmin_reports:workflow": ("admin", lambda w: "/admin/reports/workflow/"),
    "wagtailadmin_reports:site_history": ("admin", lambda w: "/admin/reports/site-history/"),
    "wagtailadmin_reports:page_types_usage": ("admin", lambda w: "/admin/reports/page-types-usage/"),
    "wagtailsnippets:index": ("admin", lambda w: "/admin/snippets/"),
    "wagtailredirects:index": ("admin", lambda w: "/admin/redirects/"),
    "wagtailsites:index": ("admin", lambda w: "/admin/sites/"),
    "wagtailusers_users:index": ("admin", lambda w: "/admin/users/"),
    "wagtailusers_users:add": ("admin", lambda w: "/admin/users/new/"),
    "wagtailusers_users:edit": ("admin", lambda w: f"/admin/users/edit/{w.learner.pk}/"),
    "wagtailusers_groups:index": ("admin", lambda w: "/admin/groups/"),
    "wagtailusers_groups:add": ("admin", lambda w: "/admin/groups/new/"),
    "wagtailusers_groups:edit": ("admin", lambda w: f"/admin/groups/edit/{w.group.pk}/"),
    "plugins_admin:program_list": ("admin", lambda w: "/admin/program-plugins/"),
    "plugins_admin:program_plugins": ("admin", lambda w: f"/admin/program-plugins/{w.program.pk}/"),
    "plugins_admin:switch": ("admin", lambda w: f"/admin/program-plugins/{w.program.pk}/cert_plugin/disable/"),
    "accounts_reset_password": ("admin", lambda w: f"/admin/accounts/{w.learner.pk}/reset-password/"),
    "course_content_admin:hours_report": ("admin", lambda w: "/admin/study-hours/report/"),
    "course_content_admin:hours_audit": ("admin", lambda w: f"/admin/study-hours/enrolment/{w.enrolment.pk}/"),
    "course_content_admin:curriculum_import": ("admin", lambda w: "/admin/curriculum/import/"),
    "registration_admin:queue": ("admin", lambda w: "/admin/registrations/"),
    "registration_admin:review": ("admin", lambda w: f"/admin/registrations/{w.registration.pk}/"),
    "exam_plugin_admin:overview": ("admin", lambda w: "/admin/exam-office/"),
    "exam_plugin_admin:sitting": ("admin", lambda w: f"/admin/exam-office/sittings/{w.sitting.pk}/"),
    "exam_plugin_admin:statistics": ("admin", lambda w: f"/admin/exam-office/sittings/{w.sitting.pk}/statistics/"),
    "exam_plugin_admin:grading": ("admin", lambda w: "/admin/exam-office/grading/"),
    "exam_plugin_admin:bank": ("admin", lambda w: "/admin/exam-office/bank/"),
    "exam_plugin_admin:exam_day": ("admin", lambda w: "/admin/exam-office/exam-day/"),
    "certificates:index": ("admin", lambda w: "/admin/certificates/"),
    "cert_plugin_admin:batch": ("admin", lambda w: "/admin/certificates/batch/"),
    "cert_plugin_admin:detail": ("admin", lambda w: f"/admin/certificates/{w.certificate.pk}/"),
    "face_image_access:index": ("admin", lambda w: "/admin/face_image_access/"),
    "pack_laptop_keys:index": ("admin", lambda w: "/admin/pack-laptop-keys/"),
}

# Our Wagtail viewsets: the list, the create form and an edit form of each.
_VIEWSETS = {
    "enrolments": ("/admin/enrolments/", "new/", lambda w: w.enrolment.pk),
    "eligibility_rules": ("/admin/registration/eligibility-rules/", "new/", lambda w: w.eligibility_rule.pk),
    "training_organisations": ("/admin/registration/organisations/", "new/", lambda w: w.organisation.pk),
    "working_day_overrides": ("/admin/calendar/overrides/", "new/", lambda w: w.working_day.pk),
    "question": ("/admin/question/", "new/", lambda w: w.question.pk),
    "knowledgepoint": ("/admin/knowledgepoint/", "new/", lambda w: w.knowledge_point.pk),
    "blueprint": ("/admin/blueprint/", "new/", lambda w: w.blueprint.pk),
    "examsitting": ("/admin/examsitting/", "new/", lambda w: w.sitting.pk),
}
for _name, (_base, _new, _pk) in _VIEWSETS.items():
    CRAWLED[f"{_name}:index"] = ("admin", lambda w, b=_base: b)
    CRAWLED[f"{_name}:add"] = ("admin", lambda w, b=_base, n=_new: b + n)
    CRAWLED[f"{_name}:edit"] = ("admin", lambda w, b=_base, pk=_pk: f"{b}edit/{pk(w)}/")


def classify(pattern: Pattern):
    """("crawl", role, build) or ("exclude", reason) or None when unclassified."""
    if pattern.key in CRAWLED:
        role, build = CRAWLED[pattern.key]
        return ("crawl", role, build)
    for expression, reason in EXCLUDED:
        if re.search(expression, pattern.key):
            return ("exclude", reason)
    return None
