from django.contrib import admin

from leerplek.competences.models import Competence, LevelScale


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "organisation", "is_active"]
    list_filter = ["organisation", "kind"]
    search_fields = ["code", "name"]


@admin.register(LevelScale)
class LevelScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "is_default"]
