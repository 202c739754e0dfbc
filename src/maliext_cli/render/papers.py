"""Mission papers as one self-contained HTML page each, laid out as the administrative
letters of a programme in Mali are: the letterhead (the issuing body on the left, a
second block such as "République du Mali / Un Peuple – Un But – Une Foi" on the
right), the reference and "Bamako, le 1er février 2027", the title or the subject line,
the body, the signature block, and the programme's address at the foot of the page.

The page is A4 with no printer margin: its own padding makes the margins, so that it
looks the same on screen (and in a screenshot) as on paper. It must hold on one page
(tests/test_papers.py prints each kind in both languages in headless Chromium).

Every word goes through the translation layer, in the paper's language (`--lang`,
French by default), inside `i18n.speaking(lang)`; numbers, dates and amounts come from
Babel's CLDR data (render/formats.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape

from maliext_cli import __version__, i18n
from maliext_cli.i18n import _, ngettext, pgettext
from maliext_cli.reference import iso, vocab
from maliext_cli.render.formats import label, locale, long_date, number
from maliext_cli.services.papers import Paper

STYLE = """
@page { size: A4; margin: 0; }
html, body { margin: 0; padding: 0; background: #fff; }
body { font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; font-size: 11pt; line-height: 1.32; color: #111; }
.page { box-sizing: border-box; width: 210mm; min-height: 296mm; padding: 12mm 20mm 8mm; display: flex; flex-direction: column; }
.head { display: flex; justify-content: space-between; align-items: flex-start; gap: 10mm; font-size: 9.5pt; line-height: 1.3; }
.head .issuer, .head .state { text-align: center; max-width: 88mm; }
.head .issuer div:first-child, .head .state div:first-child { font-weight: bold; text-transform: uppercase; }
.head .issuer div { font-weight: bold; text-transform: uppercase; }
.head .state div + div { font-style: italic; }
.head .rule { width: 18mm; margin: 1mm auto; border-top: 1px solid #111; }
.refline { display: flex; justify-content: space-between; margin-top: 7mm; }
.reference { font-weight: bold; }
.recipient { margin: 7mm 0 0 95mm; }
h1 { text-align: center; font-size: 15pt; letter-spacing: 0.06em; text-transform: uppercase; margin: 6mm 18mm 5mm; padding: 1.5mm 0; border-top: 1.5px solid #111; border-bottom: 1.5px solid #111; }
.subtitle { text-align: center; font-style: italic; margin: -3.5mm 0 5mm; }
.subject { margin: 8mm 0 5mm; }
.subject b { text-decoration: underline; }
p { margin: 0 0 2.6mm; text-align: justify; }
table.fields { border-collapse: collapse; width: 100%; margin: 1mm 0 4mm; font-size: 10.5pt; }
table.fields th, table.fields td { border: 1px solid #9a9a9a; padding: 0.7mm 2.2mm; vertical-align: top; text-align: left; }
table.fields th { width: 52mm; background: #f1f1f1; font-weight: bold; }
table.costs { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; font-size: 10.5pt; }
table.costs td { border: 1px solid #9a9a9a; padding: 0.7mm 2.2mm; }
table.costs td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.costs tr.total td { font-weight: bold; background: #f1f1f1; }
h2 { font-size: 11pt; margin: 2mm 0 1mm; text-decoration: underline; }
ul.outcomes { margin: 0 0 3mm 8mm; padding: 0; }
.signatures { display: flex; justify-content: space-between; margin-top: 5mm; }
.sign { width: 78mm; margin-left: auto; text-align: center; }
.sign.host { margin-left: 0; }
.sign .role { font-weight: bold; }
.sign .space { height: 17mm; }
.sign .name { font-weight: bold; text-decoration: underline; }
.visas { display: flex; gap: 6mm; margin-top: 4mm; margin-bottom: 3mm; font-size: 9.5pt; }
.visas div { flex: 1; border: 1px solid #9a9a9a; height: 20mm; padding: 1.5mm 2.5mm; }
.visas div span { display: block; color: #555; font-size: 8.5pt; }
.page[data-kind="certificate"] p, .page[data-kind="invitation"] p { line-height: 1.5; margin-bottom: 3.5mm; }
.page[data-kind="certificate"] .signatures, .page[data-kind="invitation"] .signatures { margin-top: 10mm; }
.foot { margin-top: auto; padding-top: 2mm; border-top: 1px solid #555; text-align: center; font-size: 8.5pt; color: #333; line-height: 1.3; }
"""


def page(paper: Paper, lang: str) -> str:
    """The paper as a whole HTML page, in `lang`."""
    with i18n.speaking(lang):
        body = {"tor": _tor, "invitation": _invitation, "order": _order, "certificate": _certificate}[paper.kind](paper)
        title = f"{_title(paper.kind)} {paper.reference}"
        parts = [_letterhead(paper), body, _foot(paper)]
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f'<meta name="generator" content="maliext {escape(__version__)}">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f'<body><div class="page" data-kind="{escape(paper.kind)}">{"".join(parts)}</div></body></html>\n'
    )


# ----------------------------------------------------------------- the parts
def _title(kind: str) -> str:
    return {
        "tor": _("Terms of reference"),
        "invitation": _("Letter of invitation"),
        "order": _("Mission order"),
        "certificate": _("Certificate of mission"),
    }[kind]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n")]


def _block(lines: Sequence[str], css: str) -> str:
    inner = '<div class="rule"></div>'.join(f"<div>{escape(line)}</div>" for line in lines)
    return f'<div class="{css}">{inner}</div>'


def _letterhead(paper: Paper) -> str:
    """The issuer on the left (the letterhead up to its first blank line, else the
    programme's name), the rest of the letterhead on the right; then the reference, the
    place and the date."""
    programme = paper.programme
    lines = _lines(programme.get("letterhead"))
    if "" in lines:
        cut = lines.index("")
        left, right = lines[:cut], [line for line in lines[cut + 1 :] if line]
    else:
        left, right = [line for line in lines if line], []
    if not left:
        left = [programme.get("name") or programme["code"]]
    head = _block(left, "issuer") + (_block(right, "state") if right else "")
    where = _("{place}, {date}").format(place=paper.place, date=long_date(paper.issued_on))
    # Translators: the reference of a paper, above its title ("N° TOKTEN/2027/014" in French).
    number_ = _("Ref. {reference}").format(reference=paper.reference)
    return (
        f'<header class="head">{head}</header><div class="refline">{_tag("div", number_, "reference")}'
        f'{_tag("div", where, "place-date")}</div>'
    )


def _foot(paper: Paper) -> str:
    programme = paper.programme
    lines = [line for line in _lines(programme.get("address")) if line]
    if programme.get("email"):
        lines.append(_("E-mail: {email}").format(email=programme["email"]))
    if not lines:
        return ""
    return f'<footer class="foot">{"<br>".join(escape(line) for line in lines)}</footer>'


def _signature(paper: Paper) -> str:
    programme = paper.programme
    role = programme.get("signatory_title") or _("For the {programme} programme").format(programme=programme["code"])
    name = programme.get("signatory") or ""
    return (
        f'<div class="sign programme"><div class="role">{escape(role)}</div><div class="space"></div>'
        f'<div class="name">{escape(name)}</div></div>'
    )


def _tag(name: str, text: str, css: str = "") -> str:
    """`<name class="css">text</name>`, the text escaped."""
    attribute = f' class="{css}"' if css else ""
    return f"<{name}{attribute}>{escape(text)}</{name}>"


def _rows(rows: Iterable[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows if v)
    return f'<table class="fields">{cells}</table>'


# -------------------------------------------------------------------- words
def _civility(consultant: dict) -> str:
    if consultant["degree"] in ("doctorat", "hdr"):
        # Translators: the title before a doctor's name (Dr Aminata Traoré).
        return pgettext("civility", "Dr")
    if consultant.get("sex") == "F":
        # Translators: the title before a woman's name (Mme in French).
        return pgettext("civility", "Ms")
    if consultant.get("sex") == "M":
        # Translators: the title before a man's name (M. in French).
        return pgettext("civility", "Mr")
    return ""


def _name(consultant: dict) -> str:
    return f"{consultant['given_names']} {consultant['family_name']}"


def _person(consultant: dict) -> str:
    """`Dr Aminata Traoré`: the title, then the name."""
    civility = _civility(consultant)
    return f"{civility} {_name(consultant)}" if civility else _name(consultant)


def _institution(paper: Paper) -> str:
    """`Faculté des Sciences et Techniques (FAST), Université de Bamako`."""
    place = paper.institution
    text = f"{place['name']} ({place['acronym']})" if place.get("acronym") else place["name"]
    if paper.parent is not None:
        text += f", {paper.parent['name']}"
    return text


def _host_city(paper: Paper) -> str:
    return paper.institution.get("city") or paper.place


def _residence(consultant: dict) -> str:
    country = label("country", consultant["country"])
    return f"{consultant['city']}, {country}" if consultant.get("city") else country


def _period(start: str, end: str) -> str:
    return _("from {start} to {end}").format(start=long_date(start), end=long_date(end))


def _days(n: int) -> str:
    return ngettext("{n} day", "{n} days", n).format(n=number(n))


def _type(paper: Paper) -> str:
    """The mission's type inside a sentence: `thesis supervision`."""
    return vocab.MISSION_TYPE.label(paper.mission["type"])


def _level(need: dict | None) -> str:
    return vocab.NEED_LEVEL.label(need["level"]) if need and need.get("level") else ""


def _programme(paper: Paper) -> str:
    programme = paper.programme
    return f"{programme['code']} — {programme['name']}" if programme.get("name") else programme["code"]


def _amount(value: Decimal, currency: str) -> str:
    """An amount as the language writes it: `650,00 €`, `€650.00`; francs CFA whole,
    written FCFA as in Mali: `1 252 878 FCFA`."""
    from babel.numbers import format_currency, format_decimal

    if currency == "XOF":
        return format_decimal(round(value), locale=locale()) + "\u00a0FCFA"
    return format_currency(value, currency, locale=locale())


def _expected(kind: str) -> str:
    return {
        "lecture": _("The course taught in full, its materials left with the institution and the students assessed."),
        "conference": _("The conference given, and its text or slides left with the institution."),
        "supervision": _("The theses and dissertations supervised brought forward, with written advice to each student."),
        "workshop": _("The workshop held and its conclusions written up with the institution."),
        "training": _("The participants trained, and a certificate of attendance given to each."),
        "technical-support": _("The technical support given, and a report of recommendations left with the institution."),
        "administrative-support": _(
            "The administrative support given, and a report of recommendations left with the institution."
        ),
    }.get(kind, "")


# --------------------------------------------------------------------- kinds
def _tor(paper: Paper) -> str:
    """Terms of reference, from the host institution's need."""
    m, need, consultant = paper.mission, paper.need, paper.consultant
    rows: list[tuple[str, str]] = [(_("Host institution"), f"{_institution(paper)}, {_host_city(paper)}")]
    if need is not None:
        rows += [
            (_("Context"), need.get("notes") or ""),
            (_("Type of mission"), label("type", need["type"])),
            (_("Level"), _level(need)),
            (_("Discipline"), label("discipline", need["discipline"])),
            (_("Keywords"), ", ".join(need["keywords"])),
            (_("Wished period"), _period(need["window_start"], need["window_end"])),
            (_("Duration"), _days(need["duration_days"])),
            (_("Experts wanted"), number(need["seats"])),
            (_("Working languages"), ", ".join(iso.language_name(code) for code in need["languages"])),
            (_("Priority"), vocab.PRIORITY.label(str(need["priority"]))),
        ]
    else:
        rows += [(_("Type of mission"), label("type", m["type"]))]
    qualification = [label("degree", consultant["degree"]), label("discipline", consultant["discipline"])]
    if consultant.get("employer"):
        qualification.append(consultant["employer"])
    rows += [
        (_("Expert selected"), f"{_person(consultant)} ({', '.join(qualification)}), {_residence(consultant)}"),
        (_("Dates of the mission"), f"{_period(m['start_date'], m['end_date'])} ({_days(m['days'])})"),
        (
            _("Expected results"),
            " ".join(
                text for text in (_expected(m["type"]), _("A mission report, sent to the programme at its end.")) if text
            ),
        ),
        (_("Programme"), _programme(paper) + (f" ({m['funder']})" if m.get("funder") else "")),
    ]
    subtitle = need["title"] if need is not None else label("type", m["type"])
    host = paper.institution.get("acronym") or paper.institution["name"]
    for_host = _("For the host institution ({institution})").format(institution=host)
    return (
        _tag("h1", _("Terms of reference"))
        + _tag("p", subtitle, "subtitle")
        + _rows(rows)
        + '<div class="signatures"><div class="sign host">'
        + _tag("div", for_host, "role")
        + f'<div class="space"></div><div class="name"></div></div>{_signature(paper)}</div>'
    )


def _invitation(paper: Paper) -> str:
    """The letter that invites the consultant, for the visa and the employer abroad."""
    m, consultant, programme = paper.mission, paper.consultant, paper.programme
    sex = consultant.get("sex")
    recipient = [_person(consultant)]
    if consultant.get("employer"):
        recipient.append(consultant["employer"])
    recipient.append(_residence(consultant))
    host = paper.institution.get("acronym") or paper.institution["name"]
    subject = _("Letter of invitation — {type}, {institution}").format(type=_type(paper), institution=host)
    if sex == "F":
        salutation = _("Dear Madam,")
        closing = pgettext("closing a letter to a woman", "Yours faithfully,")
    elif sex == "M":
        salutation = _("Dear Sir,")
        closing = pgettext("closing a letter to a man", "Yours faithfully,")
    else:
        salutation = _("Dear Sir or Madam,")
        closing = pgettext("closing a letter to a man or a woman", "Yours faithfully,")
    paragraphs = []
    if paper.need is not None:
        paragraphs.append(
            _(
                "Under the {programme} programme, the host institution {institution} has asked for an expert "
                "for the following need: “{need}”."
            ).format(programme=programme["code"], institution=_institution(paper), need=paper.need["title"])
        )
    if paper.need is not None:  # the institution is named above
        invite = ngettext(
            "I have the pleasure of inviting you to carry out this mission in {city}, {period}, that is {days} day.",
            "I have the pleasure of inviting you to carry out this mission in {city}, {period}, that is {days} days.",
            m["days"],
        )
    else:
        invite = ngettext(
            "I have the pleasure of inviting you to carry out a mission with the host institution — {institution}, "
            "{city} — {period}, that is {days} day.",
            "I have the pleasure of inviting you to carry out a mission with the host institution — {institution}, "
            "{city} — {period}, that is {days} days.",
            m["days"],
        )
    paragraphs.append(
        invite.format(
            institution=_institution(paper),
            city=_host_city(paper),
            period=_period(m["start_date"], m["end_date"]),
            days=number(m["days"]),
        )
    )
    nature = _("Nature of the mission: {type}.").format(type=_type(paper))
    if paper.need is not None and paper.need.get("level"):
        nature += " " + _("Level: {level}.").format(level=_level(paper.need))
    paragraphs.append(nature)
    if m["travel_cost"] or m["per_diem"] or m["fees"]:
        paragraphs.append(
            _("The {programme} programme covers the travel and stay costs of this mission.").format(
                programme=programme["code"]
            )
        )
    paragraphs.append(
        _(
            "This letter is issued to you to support your visa application with the consular services "
            "and your request to your employer."
        )
    )
    if programme.get("email"):
        paragraphs.append(
            _("For any information, please write to {email}, quoting the reference above.").format(
                email=programme["email"]
            )
        )
    paragraphs.append(closing)
    # Translators: what starts the subject line of a letter ("Objet :" in French).
    subject_label = _("Subject:")
    return (
        f'<div class="recipient">{"<br>".join(escape(line) for line in recipient)}</div>'
        + f'<p class="subject">{_tag("b", subject_label)} {escape(subject)}</p>'
        + _tag("p", salutation)
        + "".join(_tag("p", text) for text in paragraphs)
        + f'<div class="signatures">{_signature(paper)}</div>'
    )


def _order(paper: Paper) -> str:
    """The mission order: who goes where, when, for what, and what is paid."""
    m, consultant, c = paper.mission, paper.consultant, paper.costs
    purpose = label("type", m["type"])
    if paper.need is not None:
        # Translators: the purpose of a mission in its order: its type, then the title of its need.
        purpose = _("{type} — “{need}”").format(type=purpose, need=paper.need["title"])
    rows = [
        # Translators: the consultant's name in a mission order (French: "Nom et prénoms").
        (pgettext("mission order", "Name"), f"{consultant['family_name'].upper()} {consultant['given_names']}"),
        (_("Degree"), label("degree", consultant["degree"])),
        (_("Employer"), consultant.get("employer") or ""),
        (_("Residence"), _residence(consultant)),
        (_("Place of mission"), f"{_institution(paper)}, {_host_city(paper)}"),
        (_("Purpose"), purpose),
        (_("Level"), _level(paper.need)),
        (_("Dates"), _period(m["start_date"], m["end_date"])),
        (_("Duration"), _days(m["days"])),
        (_("Programme"), _programme(paper)),
        (_("Funder"), m.get("funder") or ""),
    ]
    if c.total:
        lines = []
        if c.travel:
            lines.append((_("Travel"), _amount(c.travel, c.currency)))
        if c.per_diem:
            lines.append(
                (
                    _("Daily allowance"),
                    ngettext("{rate} × {days} day = {amount}", "{rate} × {days} days = {amount}", c.days).format(
                        rate=_amount(c.per_diem, c.currency),
                        days=number(c.days),
                        amount=_amount(c.per_diem * c.days, c.currency),
                    ),
                )
            )
        if c.fees:
            lines.append((_("Fees"), _amount(c.fees, c.currency)))
        cells = "".join(f'<tr><td>{escape(k)}</td><td class="n">{escape(v)}</td></tr>' for k, v in lines)
        cells += f'<tr class="total">{_tag("td", _("Total"))}{_tag("td", _amount(c.total, c.currency), "n")}</tr>'
        equivalent = _("that is {amount} at the fixed parity of 1 EUR = {parity} FCFA").format(
            amount=_amount(c.other_total, c.other_currency), parity=number(Decimal("655.957"), decimals=3)
        )
        costs = f'<table class="costs">{cells}</table><p class="equivalent">{escape(equivalent)}</p>'
    else:
        costs = _tag("p", _("The programme bears no cost for this mission."))
    stamp = _tag("span", _("Date, stamp and signature of the host institution"))
    return (
        _tag("h1", _("Mission order"))
        + _rows(rows)
        + _tag("h2", _("Costs borne by the programme"))
        + costs
        + _tag("p", _("The civil and military authorities are requested to facilitate the accomplishment of this mission."))
        + f'<div class="signatures">{_signature(paper)}</div><div class="visas">'
        + "<div>" + escape(_("Seen on arrival")) + stamp + "</div>"
        + "<div>" + escape(_("Seen on departure")) + stamp + "</div>"
        + "</div>"
    )


def _certificate(paper: Paper) -> str:
    """The certificate of a completed mission, with its outcomes."""
    m, consultant, programme = paper.mission, paper.consultant, paper.programme
    qualification = [label("degree", consultant["degree"])]
    if consultant.get("employer"):
        qualification.append(consultant["employer"])
    values = dict(
        person=f"{_person(consultant)} ({', '.join(qualification)})",
        institution=_institution(paper),
        city=_host_city(paper),
        period=_period(m["start_date"], m["end_date"]),
        days=number(m["days"]),
        programme=programme["code"],
    )
    if programme.get("signatory") and programme.get("signatory_title"):
        text = ngettext(
            "I, the undersigned, {signatory}, {title}, certify that {person} carried out a mission with the host "
            "institution — {institution}, {city} — {period}, that is {days} day, under the {programme} programme.",
            "I, the undersigned, {signatory}, {title}, certify that {person} carried out a mission with the host "
            "institution — {institution}, {city} — {period}, that is {days} days, under the {programme} programme.",
            m["days"],
        ).format(signatory=programme["signatory"], title=programme["signatory_title"], **values)
    else:
        text = ngettext(
            "The {programme} programme certifies that {person} carried out a mission with the host institution — "
            "{institution}, {city} — {period}, that is {days} day.",
            "The {programme} programme certifies that {person} carried out a mission with the host institution — "
            "{institution}, {city} — {period}, that is {days} days.",
            m["days"],
        ).format(**values)
    outcomes = []
    if m.get("hours_taught") is not None:
        n = m["hours_taught"]
        outcomes.append(ngettext("{n} hour taught", "{n} hours taught", n).format(n=number(n)))
    if m.get("people_trained") is not None:
        n = m["people_trained"]
        outcomes.append(ngettext("{n} person trained", "{n} people trained", n).format(n=number(n)))
    if m.get("theses_supervised") is not None:
        n = m["theses_supervised"]
        outcomes.append(
            ngettext("{n} thesis or dissertation supervised", "{n} theses and dissertations supervised", n).format(
                n=number(n)
            )
        )
    listed = ""
    if outcomes:
        items = "".join(f"<li>{escape(o)}</li>" for o in outcomes)
        listed = _tag("p", _("During this mission:")) + f'<ul class="outcomes">{items}</ul>'
    return (
        _tag("h1", _("Certificate of mission"))
        + _tag("p", text)
        + _tag("p", _("Nature of the mission: {type}.").format(type=_type(paper)))
        + listed
        + _tag("p", _("This certificate is issued to serve and avail where it may be required."))
        + f'<div class="signatures">{_signature(paper)}</div>'
    )
