from leerplek.competences import views

app_name = "competences"
urlpatterns = views.urlpatterns
