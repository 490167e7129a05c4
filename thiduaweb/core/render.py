"""The htmx seam: a whole page, or only the named block when htmx asked for it."""
from __future__ import annotations

import json

from flask import make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block


def wants_fragment() -> bool:
    """htmx asked for part of a page (a history restore always gets the whole page)."""
    return bool(request.headers.get("HX-Request") == "true"
                and request.headers.get("HX-History-Restore-Request") != "true"
                and request.headers.get("HX-Boosted") != "true")


def render(template: str, *, block: str | None = None, status: int = 200, toast: str | None = None,
           **context):
    """Render `template`, or only `block` of it for an htmx request. The server picks the block."""
    if block and wants_fragment():
        # `fragment` lets the block add what else htmx should redraw (out-of-band swaps).
        body = render_block(template, block, fragment=True, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    if toast:
        add_toast(response, toast)
    return response


def add_toast(response, message: str, level: str = "success"):
    """Ask the page to show a toast (the HX-Trigger `toast` event handled in static/js/app.js)."""
    response.headers["HX-Trigger"] = json.dumps({"toast": {"message": message, "level": level}})
    return response


def redirect_to(url: str):
    """Move on after a success: a 303 for plain and boosted requests, HX-Redirect for htmx ones.

    A non-boosted htmx request would swap the followed page into its small target, so it is
    told to navigate instead.
    """
    if wants_fragment():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def or_404(found):
    """The record a view asked for, or 404 — another unit's rows are simply not found."""
    if found is None:
        from flask import abort

        abort(404)
    return found
