"""{% load meetings %}: a meeting's timing in its own time zone and in the viewer's."""

from django import template

from meetings import timing

register = template.Library()


@register.filter
def local_when(meeting) -> str:
    return timing.local_when(meeting)


@register.filter
def viewer_when(meeting, zone) -> str:
    return timing.viewer_when(meeting, zone)
