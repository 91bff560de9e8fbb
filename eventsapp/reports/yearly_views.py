"""Organizer screens of the yearly report (on the dashboard's blueprint): the document with
its front matter, its CSV/XLSX exports (logged: the city's official record), the front
matter's editor and the editing of an initiative's 実績 cell."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..catalog.models import Initiative
from ..catalog.report_settings import save_result_layout
from ..catalog.service import CatalogError
from ..dates import format_schedule
from ..exports import download
from ..extensions import db
from ..formtools import choices, show_at_field
from .dashboard import bp, check_year, events_of_year, known_years, organizer_only
from .forms import RESULT_NOTE_MAX, ResultNoteForm
from .front_matter import MAX_TEXT, TEXT_FIELDS, FrontMatterError, save_front_matter
from .yearly import initiative_row, table_header, yearly_table
from .yearly_document import document_csv, log_export, yearly_document
from .yearly_xlsx import yearly_xlsx


@bp.route("/reports/<int:year>/yearly")
@organizer_only
def yearly(year: int):
    check_year(year)
    blocks = yearly_table(db.session, year)
    document = yearly_document(db.session, year, blocks=blocks)
    return render_template("reports/yearly.html", year=year, years=known_years(db.session, year), blocks=blocks,
                           header=table_header(year), matter=document["front_matter"],
                           events=events_of_year(db.session, year))


@bp.route("/reports/<int:year>/yearly.<any(csv, xlsx):kind>")
@organizer_only
def yearly_export(year: int, kind: str):
    """The document as a file; every export is logged (it is the city's official record)."""
    check_year(year)
    document = yearly_document(db.session, year)
    log_export(db.session, year=year, user=current_user, format=kind, rows=len(document["rows"]))
    body = document_csv(document) if kind == "csv" else yearly_xlsx(document)
    return download(body, kind=kind, filename=f"yearly-report-{year}")


@bp.route("/reports/<int:year>/front-matter", methods=["GET", "POST"])
@organizer_only
def front_matter_form(year: int):
    """The year's 位置づけ, 対象, 理念, 長期目標 and 中期目標 definitions."""
    check_year(year)
    error = None
    if request.method == "POST":
        texts = {name: request.form.get(name, "") for name in TEXT_FIELDS}
        definitions = {key[len("goal-"):]: value for key, value in request.form.items() if key.startswith("goal-")}
        try:
            save_front_matter(db.session, year, texts=texts, definitions=definitions)
            flash(_("前文を保存しました。"))
            return redirect(url_for("reports.yearly", year=year))
        except FrontMatterError as refused:
            db.session.rollback()
            error = (refused.field, _("%(max)s文字以内で入力してください。", max=MAX_TEXT))
    matter = yearly_document(db.session, year, blocks=[])["front_matter"]
    if request.method == "POST":  # show what was typed, not what is stored
        matter |= {name: request.form.get(name, "") for name in TEXT_FIELDS}
        for goal in matter["goals"]:
            goal["definition"] = request.form.get(f"goal-{goal['code']}", "")
    return render_template("reports/front_matter.html", year=year, matter=matter, error=error,
                           max_length=MAX_TEXT), 422 if error else 200


@bp.route("/initiatives/<int:initiative_id>/result-note", methods=["GET", "POST"])
@organizer_only
def result_note(initiative_id: int):
    """Edit an initiative's 実績: its prose, where the prose goes, and which linked events
    it writes in full; the computed lines are shown, never stored."""
    initiative = db.get_or_404(Initiative, initiative_id)
    form = ResultNoteForm(obj=initiative)
    form.main_event_ids.choices = choices((e.id, f"{format_schedule(e.starts_at, e.ends_at)} {e.title}")
                                          for e in initiative.events)
    if not form.is_submitted():
        form.main_event_ids.data = [e.id for e in initiative.events if e.main_initiative_id == initiative.id]
    if form.validate_on_submit():
        try:
            save_result_layout(db.session, initiative, note=form.result_note.data or "",
                               prose_first=form.prose_first.data, main_event_ids=form.main_event_ids.data or [])
            flash(_("実績の文章を保存しました。"))
            return redirect(url_for("reports.yearly", year=initiative.fiscal_year,
                                    _anchor=f"initiative-{initiative.id}"))
        except CatalogError as error:
            db.session.rollback()
            show_at_field(form, error.field, error.message, fallback="result_note")
    row = initiative_row(db.session, initiative)
    return render_template("reports/result_note.html", form=form, initiative=initiative, row=row,
                           max_length=RESULT_NOTE_MAX), 422 if form.errors else 200
