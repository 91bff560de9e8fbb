"""The plan's evaluation table (seed 000: 期待値, 評価指標, 把握方法, 評価時期 of each scene) made
data, with the baseline figures of its 現状分析 as entered values. Pure data; programme.py
loads it (`ensure_evaluation`).

Choices the seed leaves open, made here:
- An indicator the plan repeats under several scenes (①主観的幸福感 … ⑤満足度 are listed under
  日常, 急変時, 看取り and 入退院) is loaded once, under the first scene that lists it; a row tagged
  with two goals (①市民啓発 ②人生会議推進) puts each indicator under the goal it speaks to.
- Combined indicators are split where the 現状分析 reports them apart (⑤ as 市民公開講座満足度,
  出前講座満足度 and 出前講座開催回数; ② as 在宅療養率 and サービス利用率; 情報共有システム登録者数,
  事業所数, 部屋数).
- Years: the figures are given as 令和2年(度) and 令和5年(度) (fiscal 2020, 2023). Those the
  analysis gives without a year (つむぐ会満足度 94%, the 居宅介護支援事業所 survey, 在宅療養認知度,
  人生会議普及率) are the plan's own analysis year, 令和5年度. The plan gives no day: each figure
  is dated the end of its fiscal year, and the source note says so.
- n/d: 24 offices answered the 居宅介護支援事業所 survey; 79.2% and 70.8% of 24 are 19 and 17
  (the only counts that round to them).
- 評価時期 「1/3年」 is every third year from 令和2年度, the first year the plan reports.
"""
from .data import DEMAE, KOUKAI, MITORI_CARE, MITORI_CASE, TSUMUGU

KYOTAKU = "居宅介護支援事業所"
PLAN = "高齢者支援計画（第9期）現状分析"
NO_DAY = "。日付の記載がなく把握日は年度末"

E_AWARENESS = ("①在宅療養（急変時や看取り等を含む）や人生会議について知っている市民が増える\n"
               "②医療・介護の関係者が本人・家族に対し、人生会議を実践するための知識を得ることができる")
E_WEB = ("①幅広い世代の市民が人生会議に関する情報を得ることができる\n"
         "②医療・介護の関係者が人生会議に関する情報を活用し、本人・家族がACPを知るきっかけとなることができる")
E_SHARING = "情報共有システムが有効活用され、多職種間で情報共有がなされる"
E_NEW = "つむぐ会の新規参加者及び参加者数が増加する"
E_MUTUAL = "病院・在宅・施設・消防の関係者間で互いの専門性や支援の視点など職域を相互理解し、連携ができる"
E_SKILL = "困難ケースの支援について、多職種で協働し、対応するためのスキルを得る"
E_CONSULT = "困難ケースを支援する在宅関係者の不安や思いを受け止め、対応方法などを協働し、支援を伴走することができる"
E_CARD = "市民に救急情報カードが広く普及する"
E_EMERGENCY = ("本人・家族・在宅関係者間で急変時に関する取り決めがなされ、共有できる"
               "（急変時に救急要請するのか、在宅医療関係者に連絡するのか、急変時の連絡順位、対応など）")
E_ACP_PRACTICE = "医療・介護関係者が本人・家族に対し、今後の看取りの経過や支援方針などを踏まえた人生会議を実践できる"
E_END_OF_LIFE = "多職種の専門性を知り、看取り支援について理解を深め、不安の軽減につながる"


def _indicator(goal: str, scene: str, name: str, expected: str, source: str, unit: str, *, every: int = 1,
               measure: str | None = None, params: dict | None = None, values=()) -> dict:
    """values: (fiscal year, value, n, d, source note) of the plan's baselines."""
    return {"goal": goal, "scene": scene, "name": name, "expected": expected, "source": source, "unit": unit,
            "interval_years": every, "base_year": 2020 if every > 1 else None, "measure": measure,
            "params": params or {}, "values": list(values)}


def _baseline(year: int, value, note: str, n: int | None = None, d: int | None = None) -> tuple:
    return (year, value, n, d, note + NO_DAY)


def _series(*names: str, **more) -> dict:
    """Parameters naming series; programme.py turns the names into ids."""
    return {"series": list(names), **more}


INDICATORS = [
    # --- 日常の療養支援の場面: ①市民啓発 -------------------------------------------------------
    _indicator("awareness", "daily", "主観的幸福感（8点以上の割合）", E_AWARENESS, "高齢者支援計画", "%", every=3,
               values=[_baseline(2020, "37.6", PLAN), _baseline(2023, "39.6", PLAN)]),
    _indicator("awareness", "daily", "要介護高齢者の在宅療養率（要介護3以上）", E_AWARENESS, "介護保険レセプト", "%", every=3,
               values=[_baseline(2020, "45.7", PLAN), _baseline(2023, "49.1", PLAN)]),
    _indicator("awareness", "daily", "要介護1～5認定者の介護保険サービス利用率", E_AWARENESS, "介護保険レセプト", "%", every=3,
               values=[_baseline(2020, "60.2", PLAN), _baseline(2023, "64.2", PLAN)]),
    _indicator("awareness", "daily", "在宅療養認知度（要介護認定を受けている65歳以上で「内容を知っていた」）", E_AWARENESS,
               "高齢者支援計画", "%", every=3, values=[_baseline(2023, "48.6", PLAN)]),
    _indicator("awareness", "daily", "市民公開講座満足度", E_AWARENESS, "参加者アンケート", "%",
               measure="survey_indicator", params=_series(KOUKAI, key="satisfaction")),
    _indicator("awareness", "daily", "出前講座満足度", E_AWARENESS, "参加者アンケート", "%",
               measure="survey_indicator", params=_series(DEMAE, key="satisfaction"),
               values=[_baseline(2023, "97.2", PLAN)]),
    _indicator("awareness", "daily", "出前講座開催回数", E_AWARENESS, "出前講座の実績", "回",
               measure="series_events", params=_series(DEMAE),
               values=[_baseline(2020, "2", PLAN), _baseline(2023, "5", PLAN)]),
    # --- 日常の療養支援の場面: ②人生会議推進 ---------------------------------------------------
    _indicator("acp", "daily", "人生会議の認知度（要介護認定を受けている65歳以上の人生会議普及率）", E_AWARENESS,
               "高齢者支援計画", "%", every=3, values=[_baseline(2023, "36.7", PLAN)]),
    _indicator("acp", "daily", "ホームページアクセス数", E_WEB, "秘書広報課に問い合わせ", "件"),
    _indicator("acp", "daily", "イベントページ閲覧数", E_WEB,
               "このシステムの公開イベントページ（市のホームページ全体のアクセス数ではない）", "回",
               measure="event_page_views"),
    _indicator("acp", "daily", "オンデマンド配信閲覧数", E_WEB, "オンデマンドページ内", "回", measure="on_demand_views"),
    _indicator("acp", "daily", "ACPを取り入れている居宅介護支援事業所の割合", E_AWARENESS, "居宅介護支援事業所アンケート", "%",
               every=3, measure="organization_survey_indicator",
               params={"survey_key": "office_acp", "organization_type": KYOTAKU},
               values=[_baseline(2023, None, "居宅介護支援事業所アンケート（回答24事業所）。" + PLAN, n=17, d=24)]),
    # --- 日常の療養支援の場面: ③情報共有 ------------------------------------------------------
    _indicator("sharing", "daily", "情報共有システムアンケート（活用頻度・満足度）", E_SHARING, "アンケート", "%",
               measure="organization_survey_indicator", params={"survey_key": "sharing_satisfaction"}),
    _indicator("sharing", "daily", "情報共有システム登録者数", E_SHARING, "情報共有システム登録者データ", "人"),
    _indicator("sharing", "daily", "情報共有システム登録事業所数", E_SHARING, "情報共有システム登録者データ", "事業所"),
    _indicator("sharing", "daily", "情報共有システム登録部屋数", E_SHARING, "情報共有システム登録者データ", "部屋"),
    # --- 日常の療養支援の場面: ④多職種連携 ----------------------------------------------------
    _indicator("collaboration", "daily", "つむぐ会参加者数", E_NEW, "つむぐ会実績", "人",
               measure="series_participants", params=_series(TSUMUGU)),
    _indicator("collaboration", "daily", "つむぐ会新規参加者の割合", E_NEW, "つむぐ会実績", "%",
               measure="new_share", params=_series(TSUMUGU, scope="series")),
    _indicator("collaboration", "daily", "つむぐ会満足度", E_MUTUAL, "つむぐ会アンケート", "%",
               measure="survey_indicator", params=_series(TSUMUGU, key="satisfaction"),
               values=[_baseline(2023, "94", "つむぐ会アンケート。" + PLAN)]),
    _indicator("collaboration", "daily", "「気軽に連携できるようになりましたか」（つむぐ会アンケート）", E_MUTUAL,
               "つむぐ会アンケート", "%", measure="survey_indicator", params=_series(TSUMUGU, key="collaboration")),
    _indicator("collaboration", "daily", "「多職種での連携が図れている」と回答した居宅介護支援事業所の割合", E_MUTUAL,
               "居宅介護支援事業所アンケート", "%", every=3, measure="organization_survey_indicator",
               params={"survey_key": "office_collaboration", "organization_type": KYOTAKU},
               values=[_baseline(2023, None, "居宅介護支援事業所アンケート（回答24事業所）。" + PLAN, n=19, d=24)]),
    _indicator("collaboration", "daily", "「今後の支援に活かすことができますか」（事例検討・つむぐ会などのアンケート）",
               E_SKILL, "事例検討、つむぐ会などアンケート", "%",
               measure="survey_indicator", params=_series(TSUMUGU, MITORI_CASE, key="applicability")),
    # --- 入退院支援の場面 ----------------------------------------------------------------------
    _indicator("collaboration", "admission", "在宅医療介護連携に関する相談の件数", E_CONSULT, "相談の記録", "件"),
    # --- 急変時の対応の場面 --------------------------------------------------------------------
    _indicator("acp", "emergency", "急変時の取り決めをしている事業所の割合（全事業所向けアンケート）", E_EMERGENCY,
               "全事業所向けアンケート", "%", every=3, measure="organization_survey_indicator",
               params={"survey_key": "emergency_plan"}),
    _indicator("collaboration", "emergency", "救急情報カードの配布数", E_CARD, "社会福祉課に問い合わせ", "枚"),
    _indicator("collaboration", "emergency", "救急情報カード活用の実態（消防へのヒアリング）", E_CARD, "消防に問い合わせ", "",
               every=3),
    # --- 看取りの場面 --------------------------------------------------------------------------
    _indicator("acp", "end_of_life", "「今後の支援に活かすことができますか」（研修会・事例検討会アンケート）",
               E_ACP_PRACTICE, "研修会アンケート、事例検討会アンケート", "%",
               measure="survey_indicator", params=_series(MITORI_CASE, MITORI_CARE, key="applicability")),
    _indicator("collaboration", "end_of_life", "症例検討会・看取りケア研修会の満足度", E_END_OF_LIFE,
               "症例検討会や研修会のアンケート", "%",
               measure="survey_indicator", params=_series(MITORI_CASE, MITORI_CARE, key="satisfaction")),
]
