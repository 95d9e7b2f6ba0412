"""Backups of the portal and their restore (README, "Backups and restore").

A backup is a folder: `database.dump` (`pg_dump -Fc` of one consistent snapshot), `files/`
(every uploaded file, under the name of the folder it came from) and `manifest.json`, which
describes that same snapshot (migrations applied, rows and a checksum of the rows of every
table) and every file (size, SHA-256), so that a restore can prove it brought back exactly
what was saved. `manage.py backup` and `manage.py restore` (and `make backup`, `make restore`,
the docker-compose `backup` service) all go through `untfsse.core.backups.service`.
"""
