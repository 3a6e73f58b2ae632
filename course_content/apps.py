from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourseContentConfig(AppConfig):
    name = "course_content"
    verbose_name = _("Course content")
    default_auto_field = "django.db.models.BigAutoField"

    def load_initial_data(self, fixtures_dir, log):
        from cms_site.accounts.services.roles import ensure_roles, grant_page_permissions

        from .initial_data import load_programs
        from .models import HomePage
        from .services.content_loader import load_content
        from .services.editorial import ensure_moderation_workflow, grant_staff_permissions

        load_programs(fixtures_dir, log)
        ensure_roles()
        home = HomePage.objects.get()
        grant_page_permissions(home)
        grant_staff_permissions()
        ensure_moderation_workflow(home)
        load_content(fixtures_dir, log)
