from django.contrib import admin

from leerplek.registration.models import Activity, CostLine, FinancialYear, Participation

admin.site.register(Activity)
admin.site.register(Participation)
admin.site.register(CostLine)
admin.site.register(FinancialYear)
