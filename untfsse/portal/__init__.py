"""The shell: the pages that gather several areas (home, /me/, the secretariat's dashboard and
reports, the weekly digest) and the site's own texts. Nothing imports it but the URLs."""
