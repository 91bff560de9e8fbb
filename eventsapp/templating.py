"""Jinja filters and globals: 和暦 dates, fiscal-year labels, code labels and the 事務局's contact."""
from flask import Flask
from flask_babel import get_locale

from . import contact, dates, labels
from .people.organizations import format_code


def register(app: Flask) -> None:
    app.add_template_filter(dates.format_date, "wareki")
    app.add_template_filter(dates.format_schedule, "schedule")
    app.add_template_filter(dates.format_time, "hhmm")
    app.add_template_filter(dates.format_moment, "moment")
    app.add_template_filter(dates.fiscal_year_label, "fiscal_label")
    app.add_template_filter(format_code, "org_code")
    app.add_template_global(labels, "labels")
    app.add_template_global(dates.now, "now")
    # The page's language as Babel chose it for this request (a first ?lang=en included).
    app.add_template_global(lambda: str(get_locale()), "page_lang")
    app.add_template_global(contact.organizer_contact, "organizer_contact")
