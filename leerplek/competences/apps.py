from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetencesConfig(AppConfig):
    name = "leerplek.competences"
    label = "competences"
    verbose_name = _("Competences")

    def ready(self) -> None:
        # The catalogue imports and exports through the people import pages (people/imports.py).
        from leerplek.competences import catalogue_import

        catalogue_import.register()
