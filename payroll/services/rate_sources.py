"""The legal sources of the shipped rate tables, in French: the one English → French mapping.

The sources of payroll/data/rates/*.json were first written in English; staff read them in
French on the rate-table pages. `SOURCES_FR` maps each former English source (exactly as it
was written) to its French wording — article numbers, décret/arrêté references, addresses and
figures kept, decimal commas in prose. It is applied:

- to the JSON files by ``scripts/rate_sources_fr.py`` (re-run it after merging someone's
  edit of those files: it rewrites what it knows and names any source still in English);
- to the tables already stored in a database by the data migration
  ``payroll/migrations/0011_rate_sources_in_french.py`` (`rate_sources_to_french`), which only
  replaces a source still equal to its English text, so a source staff edited stays as it is.
"""

from __future__ import annotations

from typing import Any

_URSSAF = "urssaf.fr, « Taux de cotisations secteur privé »"
_BOSS = "BOSS, « Contributions à la formation professionnelle et à l'apprentissage »"
_ANI = "Accord national interprofessionnel AGIRC-ARRCO du 17 novembre 2017"
_RGDU = "Décret 2025-887 du 4 septembre 2025 (RGDU), L241-13"

SOURCES_FR: dict[str, str] = {
    # Parameters
    "Décret 2024-951 du 23 octobre 2024 (SMIC from 1 November 2024)":
        "Décret 2024-951 du 23 octobre 2024 (SMIC au 1er novembre 2024)",
    "D241-7 CSS (SMIC in force; D241-3-2 CSS: SMIC du 1er janvier 2025 for the reduced-rate thresholds)":
        "D241-7 CSS (SMIC en vigueur ; D241-3-2 CSS : SMIC du 1er janvier 2025 pour les seuils des taux réduits)",
    "L3121-27 Code du travail: 35 h a week, × 52 / 12; R242-7 CSS (part-time ceiling)":
        "L3121-27 Code du travail : 35 h par semaine, × 52 / 12 ; R242-7 CSS (plafond des salariés à temps partiel)",
    "L136-1-1 III 1° CSS: 1.75 % allowance for professional expenses":
        "L136-1-1 III 1° CSS : abattement de 1,75 % pour frais professionnels",
    "L136-1-1 III 1° CSS: the allowance applies up to 4 times the PASS":
        "L136-1-1 III 1° CSS : l'abattement s'applique dans la limite de 4 fois le PASS",
    "L241-13 III CSS: reduction for pay below 1.6 SMIC":
        "L241-13 III CSS : réduction pour les rémunérations inférieures à 1,6 SMIC",
    "2025 formula has no floor: C = (T / 0.6) × (1.6 × SMIC / pay − 1), D241-7 CSS":
        "Formule 2025 sans plancher : C = (T / 0,6) × (1,6 × SMIC / rémunération − 1), D241-7 CSS",
    f"D241-7 CSS; {_URSSAF}, réduction générale 2025 (FNAL 0.10 %, under 50 employees)":
        f"D241-7 CSS ; {_URSSAF}, réduction générale 2025 (FNAL 0,10 %, moins de 50 salariés)",
    f"D241-7 CSS; {_URSSAF}, réduction générale 2025 (FNAL 0.50 %, 50 employees and more)":
        f"D241-7 CSS ; {_URSSAF}, réduction générale 2025 (FNAL 0,50 %, 50 salariés et plus)",
    "2025 formula is linear in SMIC / pay, D241-7 CSS":
        "Formule 2025 linéaire en SMIC / rémunération, D241-7 CSS",
    f"D241-7 CSS, T for periods from 1 May 2025 (chômage 4.00 %); {_URSSAF} (FNAL 0.10 %, under 50 employees)":
        f"D241-7 CSS, T des périodes à compter du 1er mai 2025 (chômage 4,00 %) ; {_URSSAF} "
        "(FNAL 0,10 %, moins de 50 salariés)",
    f"D241-7 CSS, T for periods from 1 May 2025 (chômage 4.00 %); {_URSSAF} (FNAL 0.50 %, 50 employees and more)":
        f"D241-7 CSS, T des périodes à compter du 1er mai 2025 (chômage 4,00 %) ; {_URSSAF} "
        "(FNAL 0,50 %, 50 salariés et plus)",
    "Décret 2025-1228 du 17 décembre 2025 (SMIC from 1 January 2026)":
        "Décret 2025-1228 du 17 décembre 2025 (SMIC au 1er janvier 2026)",
    "D241-7 CSS: SMIC at 1 January 2026 for the whole of 2026 (décret 2026-509 du 12 juin 2026, "
    "as cited by OpenFisca-France)":
        "D241-7 CSS : SMIC au 1er janvier 2026 pour toute l'année 2026 (décret 2026-509 du 12 juin 2026, "
        "cité par OpenFisca-France)",
    f"{_RGDU} and D241-7 CSS: reduction for pay below 3 SMIC":
        f"{_RGDU} et D241-7 CSS : réduction pour les rémunérations inférieures à 3 SMIC",
    f"{_RGDU} and D241-7 CSS: T_min":
        f"{_RGDU} et D241-7 CSS : paramètre Tmin",
    f"{_RGDU} and D241-7 CSS, décret 2025-1446: T_delta under 50 employees":
        f"{_RGDU} et D241-7 CSS, décret 2025-1446 : paramètre Tdelta, moins de 50 salariés",
    f"{_RGDU} and D241-7 CSS, décret 2025-1446: T_delta from 50 employees":
        f"{_RGDU} et D241-7 CSS, décret 2025-1446 : paramètre Tdelta, 50 salariés et plus",
    f"{_RGDU} and D241-7 CSS: exponent P":
        f"{_RGDU} et D241-7 CSS : exposant P",
    "Arrêté du 22 mai 2026 relatif au relèvement du SMIC, from 1 June 2026 (as cited by OpenFisca-France "
    "176.1.8; the réduction générale keeps the 1 January SMIC)":
        "Arrêté du 22 mai 2026 relatif au relèvement du SMIC, à compter du 1er juin 2026 (cité par "
        "OpenFisca-France 176.1.8 ; la réduction générale conserve le SMIC du 1er janvier)",
    # Lines
    f"D242-3 CSS (13 %); applies above 2.25 SMIC in 2025: L241-2-1 and D241-3-2 CSS (décret 2025-318 du "
    f"4 avril 2025, 2.25 × SMIC du 1er janvier 2025); {_URSSAF}":
        f"D242-3 CSS (13 %) ; applicable au-delà de 2,25 SMIC en 2025 : L241-2-1 et D241-3-2 CSS (décret "
        f"2025-318 du 4 avril 2025, 2,25 × SMIC du 1er janvier 2025) ; {_URSSAF}",
    f"L241-2-1 and D241-3-2 CSS: rate lowered by 6 points for pay ≤ 2.25 SMIC (décret 2025-318 du "
    f"4 avril 2025); {_URSSAF}":
        f"L241-2-1 et D241-3-2 CSS : taux réduit de 6 points pour les rémunérations ≤ 2,25 SMIC (décret "
        f"2025-318 du 4 avril 2025) ; {_URSSAF}",
    f"L241-2 and D242-3 CSS (13 %); the 7 % reduced rate is merged into the réduction générale dégressive "
    f"unique from 1 January 2026 (LFSS 2025 art. 18, décret 2025-887 du 4 septembre 2025); {_URSSAF}":
        f"L241-2 et D242-3 CSS (13 %) ; le taux réduit de 7 % est intégré à la réduction générale dégressive "
        f"unique à compter du 1er janvier 2026 (LFSS 2025 art. 18, décret 2025-887 du 4 septembre 2025) ; "
        f"{_URSSAF}",
    f"L325-1 CSS, régime local d'Alsace-Moselle; 1.30 % since 1 January 2022 (décision du conseil "
    f"d'administration du régime local); {_URSSAF}":
        f"L325-1 CSS, régime local d'Alsace-Moselle ; 1,30 % depuis le 1er janvier 2022 (décision du conseil "
        f"d'administration du régime local) ; {_URSSAF}",
    "Convention collective nationale des cadres du 14 mars 1947 art. 7, repris par l'ANI du 17 novembre 2017 "
    "art. 1 (prévoyance des cadres): 1.50 % of tranche A paid by the employer, compulsory; employer provident "
    "contributions join the CSG/CRDS base (L136-1-1 CSS)":
        "Convention collective nationale des cadres du 14 mars 1947 art. 7, repris par l'ANI du 17 novembre "
        "2017 art. 1 (prévoyance des cadres) : 1,50 % de la tranche A, à la charge de l'employeur, obligatoire ; "
        "contributions patronales de prévoyance incluses dans l'assiette CSG/CRDS (L136-1-1 CSS)",
    "L242-5 CSS: rate notified to each establishment by its CARSAT (net-entreprises.fr, compte AT/MP); "
    "taken from the payslip input":
        "L242-5 CSS : taux notifié à chaque établissement par sa CARSAT (net-entreprises.fr, compte AT/MP) ; "
        "repris des données du bulletin",
    f"D242-4 CSS (6.90 % employee, 8.55 % employer, up to the ceiling); {_URSSAF}":
        f"D242-4 CSS (6,90 % salarié, 8,55 % employeur, dans la limite du plafond) ; {_URSSAF}",
    f"D242-4 CSS (décret 2023-1329: 2.02 % employer from 2024); {_URSSAF}":
        f"D242-4 CSS (décret 2023-1329 : 2,02 % employeur à compter de 2024) ; {_URSSAF}",
    f"D242-4 CSS (décret 2025-1446 du 31 décembre 2025: 2.11 % employer from 2026); {_URSSAF}":
        f"D242-4 CSS (décret 2025-1446 du 31 décembre 2025 : 2,11 % employeur à compter de 2026) ; {_URSSAF}",
    f"{_ANI}: 6.20 % × taux d'appel 127 % = 7.87 %, 60 % employer; agirc-arrco.fr":
        f"{_ANI} : 6,20 % × taux d'appel 127 % = 7,87 %, dont 60 % à la charge de l'employeur ; agirc-arrco.fr",
    f"{_ANI}: 17.00 % × taux d'appel 127 % = 21.59 %, 60 % employer; agirc-arrco.fr":
        f"{_ANI} : 17,00 % × taux d'appel 127 % = 21,59 %, dont 60 % à la charge de l'employeur ; agirc-arrco.fr",
    f"{_ANI}: CEG 2.15 % on tranche 1, 60 % employer; agirc-arrco.fr":
        f"{_ANI} : CEG 2,15 % sur la tranche 1, dont 60 % à la charge de l'employeur ; agirc-arrco.fr",
    f"{_ANI}: CEG 2.70 % on tranche 2, 60 % employer; agirc-arrco.fr":
        f"{_ANI} : CEG 2,70 % sur la tranche 2, dont 60 % à la charge de l'employeur ; agirc-arrco.fr",
    f"{_ANI}: CET 0.35 % on pay up to 8 ceilings, only when pay exceeds the ceiling; agirc-arrco.fr":
        f"{_ANI} : CET 0,35 % sur la rémunération dans la limite de 8 plafonds, due seulement si la "
        "rémunération dépasse le plafond ; agirc-arrco.fr",
    f"L241-6 CSS (5.25 %); applies above 3.3 SMIC in 2025: L241-6-1 and D241-3-2 CSS (décret 2025-318 du "
    f"4 avril 2025, 3.3 × SMIC du 1er janvier 2025); {_URSSAF}":
        f"L241-6 CSS (5,25 %) ; applicable au-delà de 3,3 SMIC en 2025 : L241-6-1 et D241-3-2 CSS (décret "
        f"2025-318 du 4 avril 2025, 3,3 × SMIC du 1er janvier 2025) ; {_URSSAF}",
    f"L241-6-1 and D241-3-2 CSS: rate lowered by 1.8 points for pay ≤ 3.3 SMIC (décret 2025-318 du "
    f"4 avril 2025; 3.5 SMIC until 2024); {_URSSAF}":
        f"L241-6-1 et D241-3-2 CSS : taux réduit de 1,8 point pour les rémunérations ≤ 3,3 SMIC (décret "
        f"2025-318 du 4 avril 2025 ; 3,5 SMIC jusqu'en 2024) ; {_URSSAF}",
    f"L241-6 CSS (5.25 %); the 3.45 % reduced rate is merged into the réduction générale dégressive unique "
    f"from 1 January 2026 (LFSS 2025 art. 18, décret 2025-887 du 4 septembre 2025); {_URSSAF}":
        f"L241-6 CSS (5,25 %) ; le taux réduit de 3,45 % est intégré à la réduction générale dégressive unique "
        f"à compter du 1er janvier 2026 (LFSS 2025 art. 18, décret 2025-887 du 4 septembre 2025) ; {_URSSAF}",
    "L5422-9 Code du travail; convention d'assurance chômage du 15 novembre 2024 agréée par arrêté du "
    "19 décembre 2024: 4.05 %, then 4.00 % from 1 May 2025 (circulaire Unédic 2025-05)":
        "L5422-9 Code du travail ; convention d'assurance chômage du 15 novembre 2024 agréée par arrêté du "
        "19 décembre 2024 : 4,05 %, puis 4,00 % à compter du 1er mai 2025 (circulaire Unédic 2025-05)",
    f"L3253-18 Code du travail; 0.25 % from 1 January 2025 by decision of the AGS board (facts file; "
    f"{_URSSAF})":
        f"L3253-18 Code du travail ; 0,25 % à compter du 1er janvier 2025 sur décision du conseil "
        f"d'administration de l'AGS (fiche de référence ; {_URSSAF})",
    "Accord national interprofessionnel du 17 novembre 2017 and ANI APEC: 0.06 % (0.024 % employee, "
    "0.036 % employer) on cadres' pay up to 4 ceilings; apec.fr":
        "Accord national interprofessionnel du 17 novembre 2017 et ANI APEC : 0,06 % (0,024 % salarié, "
        "0,036 % employeur) sur la rémunération des cadres dans la limite de 4 plafonds ; apec.fr",
    f"L813-4 and L813-5 Code de la construction et de l'habitation: 0.10 % up to the ceiling below "
    f"50 employees; {_URSSAF}":
        f"L813-4 et L813-5 Code de la construction et de l'habitation : 0,10 % dans la limite du plafond, "
        f"moins de 50 salariés ; {_URSSAF}",
    f"L813-4 and L813-5 Code de la construction et de l'habitation: 0.50 % on all pay from 50 employees; "
    f"{_URSSAF}":
        f"L813-4 et L813-5 Code de la construction et de l'habitation : 0,50 % sur la totalité de la "
        f"rémunération, à partir de 50 salariés ; {_URSSAF}",
    f"L137-40 CSS; {_URSSAF}":
        f"L137-40 CSS ; {_URSSAF}",
    f"L2135-10 and D2135-34 Code du travail; {_URSSAF}":
        f"L2135-10 et D2135-34 Code du travail ; {_URSSAF}",
    f"L6331-1 Code du travail: 0.55 % of pay under 11 employees (headcount per L130-1 CSS); {_BOSS}":
        f"L6331-1 Code du travail : 0,55 % de la rémunération, moins de 11 salariés (effectif selon L130-1 "
        f"CSS) ; {_BOSS}",
    f"L6331-3 Code du travail: 1 % of pay from 11 employees (headcount per L130-1 CSS); {_BOSS}":
        f"L6331-3 Code du travail : 1 % de la rémunération, à partir de 11 salariés (effectif selon L130-1 "
        f"CSS) ; {_BOSS}",
    f"L6241-1 and L6241-2 Code du travail: taxe d'apprentissage 0.68 % of pay, of which 0.59 % paid monthly; "
    f"{_BOSS}":
        f"L6241-1 et L6241-2 Code du travail : taxe d'apprentissage de 0,68 % de la rémunération, dont 0,59 % "
        f"versés chaque mois ; {_BOSS}",
    f"L6241-2 II Code du travail: solde de la taxe d'apprentissage, 0.09 % of pay (declared once a year, "
    f"accrued monthly here); {_BOSS}":
        f"L6241-2 II Code du travail : solde de la taxe d'apprentissage, 0,09 % de la rémunération (déclaré "
        f"une fois par an, provisionné ici chaque mois) ; {_BOSS}",
    f"L6241-4 Code du travail: 0.44 % in the Bas-Rhin, Haut-Rhin and Moselle, no solde; {_BOSS}":
        f"L6241-4 Code du travail : 0,44 % dans le Bas-Rhin, le Haut-Rhin et la Moselle, sans solde ; {_BOSS}",
    f"L6331-6 Code du travail: 1 % of the pay of fixed-term (CDD) employees; {_BOSS}":
        f"L6331-6 Code du travail : 1 % de la rémunération des salariés en contrat à durée déterminée (CDD) ; "
        f"{_BOSS}",
    "L2333-64 and L2333-66 Code général des collectivités territoriales: employers of 11 employees or more "
    "(headcount per L130-1 CSS), at the rate of the transport authority of the workplace; taken from the "
    "payroll settings":
        "L2333-64 et L2333-66 Code général des collectivités territoriales : employeurs de 11 salariés ou plus "
        "(effectif selon L130-1 CSS), au taux de l'autorité organisatrice de la mobilité du lieu de travail ; "
        "repris des paramètres de paie",
    "L137-15 and L137-16 CSS: 8 % of employer contributions to complementary provident and health schemes, "
    "employers of 11 employees or more (headcount per L130-1 CSS); urssaf.fr, « Forfait social »":
        "L137-15 et L137-16 CSS : 8 % des contributions patronales de prévoyance complémentaire et de santé, "
        "employeurs de 11 salariés ou plus (effectif selon L130-1 CSS) ; urssaf.fr, « Forfait social »",
    "L313-1 Code de la construction et de l'habitation: 0.45 % of pay, employers of 50 employees or more "
    "(headcount per L130-1 CSS; paid once a year, accrued monthly here)":
        "L313-1 Code de la construction et de l'habitation : 0,45 % de la rémunération, employeurs de "
        "50 salariés ou plus (effectif selon L130-1 CSS ; versée une fois par an, provisionnée ici chaque mois)",
    f"L136-8 I 1° CSS (9.20 %), of which 6.80 % deductible (art. 154 quinquies CGI); base L136-1-1 CSS; "
    f"{_URSSAF}":
        f"L136-8 I 1° CSS (9,20 %), dont 6,80 % déductibles (art. 154 quinquies CGI) ; assiette L136-1-1 CSS ; "
        f"{_URSSAF}",
    f"L136-8 I 1° CSS and art. 154 quinquies CGI; {_URSSAF}":
        f"L136-8 I 1° CSS et art. 154 quinquies CGI ; {_URSSAF}",
    f"Ordonnance 96-50 du 24 janvier 1996, art. 14 and 19; {_URSSAF}":
        f"Ordonnance 96-50 du 24 janvier 1996, art. 14 et 19 ; {_URSSAF}",
}


def source_in_french(source: str) -> str:
    """The French wording of a former English source; any other source unchanged."""
    return SOURCES_FR.get(source, source)


def table_in_french(data: dict[str, Any]) -> int:
    """Translate, in place, the sources of a rate-table dict (the JSON shape of
    payroll/engine/rates.py); returns how many changed."""
    changed = 0
    for entry in [*data.get("params", {}).values(), *data.get("lines", [])]:
        french = source_in_french(entry.get("source", ""))
        if french != entry.get("source", ""):
            entry["source"] = french
            changed += 1
    return changed


def rate_sources_to_french(*, table_model=None, line_model=None) -> int:
    """Translate the sources stored in the database (every table, copies included) that are
    still exactly a former English source; staff-edited sources stay. Returns how many changed.
    Model classes can be passed in for a data migration."""
    if table_model is None:
        from payroll.models import RateLine, RateTable

        table_model, line_model = RateTable, RateLine
    changed = 0
    for table in table_model.objects.all():
        params = {name: dict(entry) for name, entry in table.params.items()}
        n = table_in_french({"params": params})
        if n:
            table.params = params
            table.save(update_fields=["params"])
            changed += n
    lines = [line for line in line_model.objects.filter(source__in=list(SOURCES_FR))]
    for line in lines:
        line.source = SOURCES_FR[line.source]
    line_model.objects.bulk_update(lines, ["source"])
    return changed + len(lines)
