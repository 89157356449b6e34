"""Serve stage, operator console: portals added, edited, enabled and disabled from the console.

Each change goes through the operations service to `nianbao.config_file`, which writes config.toml back
(comments kept) only after the load-time check passed; a refused change comes back as the filled-in form
with the reason beside its field, in Chinese, and the file untouched. The daemon and `nianbao status` read
the file, so they see the change at their next poll or run. Login and CSRF: the blueprint's guard.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from nianbao.config import ConfigError
from webui.admin.portal_form import LABELS, REGION_PARTS, PortalForm
from webui.admin.views import blueprint, operations, portal_or_404


@blueprint.route("/portals/new", methods=["GET", "POST"])
def add_portal():
    """The form for a new [[portals]] entry; on success, the new portal's page."""
    if request.method == "GET":
        return _form(PortalForm.of(None), adding=True)
    form = PortalForm.posted(request.form)
    try:
        operations().add_portal(form.entry(with_name=True))
    except ConfigError as refused:
        form.refuse(refused)
        return _form(form, adding=True), 422
    flash(f"已添加门户「{form.values['title']}」并写入配置文件。" + _when_crawled(form.values["enabled"]))
    return redirect(url_for("admin.portal", name=form.values["name"]))


@blueprint.route("/portals/<name>/edit", methods=["GET", "POST"])
def edit_portal(name: str):
    """The form for an existing portal (its name stays: corpus folders and history are filed under it)."""
    portal = portal_or_404(name)
    if request.method == "GET":
        return _form(PortalForm.of(portal), adding=False)
    form = PortalForm.posted(request.form)
    form.values["name"] = name
    try:
        operations().update_portal(name, form.entry(with_name=False))
    except ConfigError as refused:
        form.refuse(refused)
        return _form(form, adding=False), 422
    flash(f"已保存「{form.values['title']}」的修改。" + _when_crawled(form.values["enabled"]))
    return redirect(url_for("admin.portal", name=name))


@blueprint.post("/portals/<name>/enabled")
def set_enabled(name: str):
    """Enable (`enabled=1`) or disable (`enabled=0`) a portal."""
    portal = portal_or_404(name)
    enabled = request.form.get("enabled") == "1"
    try:
        operations().set_enabled(name, enabled)
    except ConfigError as refused:
        flash(f"没有保存：{refused}", "error")
        return redirect(url_for("admin.portal", name=name))
    flash(f"已{'启用' if enabled else '停用'}门户「{portal.title}」。" + _when_crawled(enabled))
    return redirect(request.form.get("back") == "list" and url_for("admin.dashboard")
                    or url_for("admin.portal", name=name))


def _form(form: PortalForm, adding: bool) -> str:
    return render_template("admin/portal_form.html", form=form, adding=adding, labels=LABELS,
                           region_parts=REGION_PARTS)


def _when_crawled(enabled: bool) -> str:
    if enabled:
        return "调度程序（nianbao schedule）会在下次检查时读到新配置，并按计划抓取。"
    return "停用的门户不会被调度，也不能立即重抓。"
