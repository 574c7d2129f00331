from leerplek.onboarding import views

app_name = "onboarding"
urlpatterns = views.urlpatterns
