"""Finding the modules each app contributes (seed data, bulk data), lowest layer first."""

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType

from django.apps import AppConfig, apps


def app_modules(submodule: str) -> Iterator[tuple[AppConfig, ModuleType]]:
    """Each installed app's `<app>.<submodule>` that exists, in INSTALLED_APPS order."""
    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.{submodule}"
        if importlib.util.find_spec(app_config.name) and importlib.util.find_spec(module_name):
            yield app_config, importlib.import_module(module_name)
