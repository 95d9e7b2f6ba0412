"""The secretariat's admin for the Knowledge Hub: resources and submissions."""

from knowledgehub.admin import resources, submissions  # noqa: F401  (registers the ModelAdmins)
