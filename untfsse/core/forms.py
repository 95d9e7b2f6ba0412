from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Renders every form with the portal's accessible field template (labels, hints, errors)."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/form_field.html"
