"""Images uploaded in a form that is not saved yet, remembered in the user's session.

A preview step cannot carry a file, so the image is stored at once and its name kept here; only
the session that uploaded it may attach it to a proposal (or see it) before it is saved.
"""

from __future__ import annotations

from flask import session

from portal.uploads.services import StoredImage

_KEY = "pending_images"
_KEEP = 5


def remember(image: StoredImage) -> None:
    """Remember an image uploaded by this session (the last few only)."""
    entries = [entry for entry in session.get(_KEY, []) if entry["name"] != image.name]
    entries.append({"name": image.name, "width": image.width, "height": image.height})
    session[_KEY] = entries[-_KEEP:]


def get(name: str | None) -> StoredImage | None:
    """The pending image of this session with that name, or None."""
    if not name:
        return None
    for entry in session.get(_KEY, []):
        if entry["name"] == name:
            return StoredImage(name=entry["name"], width=entry["width"], height=entry["height"])
    return None


def forget(name: str | None) -> None:
    """The image was attached (or dropped): no longer pending."""
    if name and session.get(_KEY):
        session[_KEY] = [entry for entry in session[_KEY] if entry["name"] != name]
