"""The read API (/api/v1/): the portal's public records as JSON, with an OpenAPI description.

It sits in the shell because it gathers every area, and it reads only through the apps'
selectors, search and FilterSets, so it shows exactly what the public pages show: nothing
members-only, no person without a public profile. See the README, "API".
"""
