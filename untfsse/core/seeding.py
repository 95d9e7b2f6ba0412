"""Helpers for the apps' `seed` modules (read by `manage.py load_seed_data`)."""

from django.db import models


def upsert(model: type[models.Model], lookup: dict, values: dict) -> models.Model:
    """The record matching `lookup`, created or brought up to date with `values`.

    Unlike update_or_create it writes nothing when every value already matches, so loading
    the seed data a second time changes nothing, not even a timestamp.
    """
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(
            update_fields=[*changed, *(["updated_at"] if hasattr(instance, "updated_at") else [])]
        )
    return instance
