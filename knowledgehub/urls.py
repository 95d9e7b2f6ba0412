app_name = "knowledgehub"

urlpatterns: list = []
