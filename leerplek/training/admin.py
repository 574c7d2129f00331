"""The training models in the Django admin, for the application administrator only."""

from django.contrib import admin

from leerplek.training import models

for model in (
    models.Programme,
    models.ProgrammeVersion,
    models.WorkInstruction,
    models.InstructionVersion,
    models.ContentLanguage,
    models.ProgrammeAssignment,
    models.Signoff,
    models.Test,
    models.Attempt,
    models.Escalation,
    models.Certificate,
    models.RankingRound,
    models.PracticeSignal,
):
    admin.site.register(model)
