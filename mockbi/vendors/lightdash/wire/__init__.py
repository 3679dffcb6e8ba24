"""Lightdash's records as the API sends them, one function per contract schema, built from the store at read
time (relations are uuids joined here, so a rename or a delete shows in every answer at once):

``people.py``    the authenticated user, the organization, members, groups, user attributes, tokens,
                 notifications, warehouse credentials
``projects.py``  projects, project members, tags, share links
``content.py``   spaces, saved charts, dashboards and their summaries
``common.py``    ``compact`` (optional fields left out) and ``updatedByUser``
"""

from __future__ import annotations
