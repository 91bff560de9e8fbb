"""Organizer screens of a fiscal year: the dashboard (every event, totals, charts), the yearly
report in the city's own table with its CSV/XLSX exports (logged), and the editing of an
initiative's 実績 prose. Every number comes from the indicator engine (reports/summary.py)."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..arith import rate
from ..auth.models import Role
from ..auth.roles import role_required
from ..auth.service import record
from ..catalog.models import Event, Initiative
from ..dates import fiscal_year_label, fiscal_year_of, is_fiscal_year, now, to_tokyo
from ..exports import csv_bytes, download
from ..extensions import db
from ..people.models import Person
from ..registration.labels import CHANNEL
from ..registration.models import Channel
from . import charts, summary
from .breakdowns import registrations_by_channel
from .forms import RESULT_NOTE_MAX, ResultNoteForm
from .summary import fiscal_year_report, pooled_summary
from .yearly import ResultWriter, table_header, table_rows, yearly_table, yearly_xlsx

bp = Blueprint("reports", __name__, url_prefix="/admin")
organizer_only = role_required(Role.ORGANIZER)
# Years an event may fall in (eventsapp/dates.py). Outside: 404 with a message, inside: maybe empty.


def check_year(year: int) -> None:
    """404 with a Japanese message for a year no report can have."""
    if not is_fiscal_year(year):
        abort(Response(render_template("errors/error.html", status=404,
                                       message=_("年度の指定が正しくありません。")), status=404))


def known_years(session: Session, year: int) -> list[int]:
    years = set(session.scalars(select(Event.fiscal_year).distinct()))
    years |= set(session.scalars(select(Initiative.fiscal_year).distinct()))
    return sorted(years | {year, fiscal_year_of(now())})


@bp.route("/reports/")
@organizer_only
def current():
    return redirect(url_for("reports.dashboard", year=fiscal_year_of(now())))


@bp.route("/reports/<int:year>")
@organizer_only
def dashboard(year: int):
    check_year(year)
    report = fiscal_year_report(db.session, year)
    ids = [row["event_id"] for row in report["events"]]
    names = {
        "goal": {row["code"]: row["label"] for row in report["by_goal"]},
        "scene": {row["code"]: row["label"] for row in report["by_scene"]},
        "series": {row["series_id"]: row["name"] for row in report["by_series"]},
    }
    by_area = area_rows(db.session, report["events"])
    professions = profession_rows(db.session, ids)
    return render_template(
        "reports/dashboard.html", year=year, years=known_years(db.session, year), report=report, names=names,
        by_area=by_area, professions=professions, channels=channel_rows(db.session, ids),
        participants_chart=charts.participants_chart([
            {"label": f"{to_tokyo(e['starts_at']).month}/{to_tokyo(e['starts_at']).day}",
             "attended": e["attended"]["total"], "new_pct": e["new_participants"]["series"]["pct"]}
            for e in report["events"]
        ]),
        satisfaction_chart=charts.horizontal_chart(
            [{"label": row["name"], "amount": row["indicators"].get("satisfaction", {}).get("pct"),
              "value": rate_text(row["indicators"].get("satisfaction"))} for row in report["by_series"]],
            scale=100,
        ),
        profession_chart=charts.horizontal_chart(
            [{"label": row["profession"], "amount": row["persons"],
              "value": _("%(n)s名", n=row["persons"])} for row in professions]
        ),
    )


def rate_text(value: dict | None) -> str:
    if not value or not value.get("d"):
        return _("回答なし")
    return f"{value['pct']:.1f}% ({value['n']}/{value['d']})"


def area_rows(session: Session, events: list[dict]) -> list[dict]:
    """The year's events pooled by area (圏域) by the engine; events without one together."""
    groups: dict[str, list[int]] = {}
    for event in events:
        groups.setdefault(event["area"] or "", []).append(event["event_id"])
    ordered = sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))
    return [{"label": area or _("指定なし"), **pooled_summary(session, ids)} for area, ids in ordered]


def profession_rows(session: Session, event_ids: list[int]) -> list[dict]:
    """The mix of professions (職種) among the year's attendees, as the engine counts
    attendance: persons (実人数), attendances (延べ) and each one's share of the persons."""
    if not event_ids:
        return []
    attendees = summary.distinct_persons_query(event_ids)
    rows = session.execute(
        select(Person.profession, func.count(func.distinct(attendees.c.person_id)), func.count())
        .select_from(attendees)
        .join(Person, Person.id == attendees.c.person_id)
        .group_by(Person.profession)
    ).all()
    total = session.scalar(select(func.count(func.distinct(attendees.c.person_id))))
    found = [
        {"profession": profession or _("未回答"), "persons": int(persons), "attendances": int(visits),
         "share": rate(persons, total)}
        for profession, persons, visits in rows
    ]
    return sorted(found, key=lambda row: (-row["persons"], row["profession"]))


def channel_rows(session: Session, event_ids: list[int]) -> list[dict]:
    """The year's registrations by how people heard of the events (申込経路), with shares."""
    counts = registrations_by_channel(session, event_ids)
    total = sum(n for _code, n in counts)
    return [{"label": CHANNEL[Channel(code)] if code else _("未記入"), "registrations": n, "share": rate(n, total)}
            for code, n in counts]


@bp.route("/reports/<int:year>/yearly")
@organizer_only
def yearly(year: int):
    check_year(year)
    blocks = yearly_table(db.session, year)
    return render_template("reports/yearly.html", year=year, years=known_years(db.session, year), blocks=blocks,
                           header=table_header(year))


@bp.route("/reports/<int:year>/yearly.<any(csv, xlsx):kind>")
@organizer_only
def yearly_export(year: int, kind: str):
    """The report table as a file; every export is logged (it is the city's official record)."""
    check_year(year)
    header, rows = table_header(year), table_rows(yearly_table(db.session, year))
    record(db.session, "export_report", user=current_user, target=f"fiscal_year:{year}", format=kind, rows=len(rows))
    db.session.commit()
    if kind == "csv":
        body = csv_bytes(header, rows)
    else:
        body = yearly_xlsx(header, rows, title=_("%(label)s実績報告", label=fiscal_year_label(year)))
    return download(body, kind=kind, filename=f"yearly-report-{year}")


@bp.route("/initiatives/<int:initiative_id>/result-note", methods=["GET", "POST"])
@organizer_only
def result_note(initiative_id: int):
    """Edit the prose of an initiative's 実績; the computed lines are shown, never stored."""
    initiative = db.get_or_404(Initiative, initiative_id)
    form = ResultNoteForm(obj=initiative)
    if form.validate_on_submit():
        initiative.result_note = (form.result_note.data or "").strip()
        db.session.commit()
        flash(_("実績の文章を保存しました。"))
        return redirect(url_for("reports.yearly", year=initiative.fiscal_year, _anchor=f"initiative-{initiative.id}"))
    report = fiscal_year_report(db.session, initiative.fiscal_year)
    computed = ResultWriter(report).row(initiative).computed
    return render_template("reports/result_note.html", form=form, initiative=initiative, computed=computed,
                           max_length=RESULT_NOTE_MAX), (
        422 if form.errors else 200
    )
