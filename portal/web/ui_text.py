"""Interface wording of the resource pages in each offered language (English is the fallback)."""

from __future__ import annotations

import re

UI: dict[str, dict[str, str]] = {
    "en": {
        "qualification": "Qualification", "organisation": "Organisation", "concept": "Concept",
        "dataset": "Dataset", "resource": "Resource", "language": "Language", "description": "Description",
        "field": "Field of education and training (ISCED-F)", "country": "Country or region",
        "eqf": "EQF level", "nqf": "NQF level", "outcomes": "Learning outcomes",
        "knowledge": "Knowledge", "skills": "Skills",
        "responsibility": "Responsibility and autonomy", "esco": "ESCO skills",
        "awarding": "Awarding body", "credits": "Credit points", "volume": "Notional workload",
        "quality": "Quality assurance", "entry": "Entry requirements", "ways": "Ways to acquire",
        "languages": "Language of the qualification", "homepage": "More information",
        "supplement": "Supplement", "identifier": "Identifier", "publisher": "Source of information",
        "modified": "Last updated", "not_stated": "Not stated",
        "fallback": "Not available in English; shown in",
        "other_formats": "This page as data", "qualifications": "Qualifications",
        "awards": "Qualifications it awards", "using": "Qualifications with this concept",
        "scheme": "In scheme", "property": "Property", "value": "Value", "issued": "Issued",
        "expires": "Valid until", "triples": "Triples", "conforms": "Conforms to the LOQ profile",
        "score": "Annex VI completeness", "previous": "Previous", "next": "Next", "page": "Page",
        "of": "of", "location": "Location", "accredited_by": "accredited by", "iri": "Identifier (IRI)",
        "yes": "yes", "no": "no", "none": "None recorded.",
        "lang_en": "English", "lang_fr": "French", "hours": "hours",
        # staff pages (portal/staff)
        "staff": "Staff", "staff_login": "Sign in",
        "staff_login_intro": "Sign in with your staff account of the register.",
        "staff_email": "Email", "staff_password": "Password", "staff_signed_out": "You are signed out.",
        "staff_login_failed": "Wrong email or password, or the account is locked or disabled.",
        "staff_logout": "Sign out", "staff_dashboard": "Dashboard", "staff_account": "Your account",
        "staff_you": "Signed in as", "staff_role": "Role", "staff_organisations": "Organisations",
        "staff_no_organisation": "None: you act for the authority.", "staff_public_site": "Public site",
        "staff_role_admin": "admin", "staff_role_reviewer": "reviewer", "staff_role_editor": "editor",
        "staff_coming": "What you will do here",
        "staff_coming_note": "The record pages are still being built; nothing below is available yet.",
        "staff_coming_editor": "See your organisations' records by state; create a record in a form, edit it and "
                               "submit it for review; fix a record a reviewer returned to you.",
        "staff_coming_reviewer": "See the review queue, oldest first; open a submission as a difference against the "
                                 "published version; approve it or return it with a reason; withdraw or supersede "
                                 "a published record.",
        "staff_coming_admin": "An admin edits no qualification. Organisations, users and API tokens are managed on "
                              "the server with the nqdb command (nqdb organisation, nqdb user, nqdb token).",
        "staff_change_password": "Change your password", "staff_current_password": "Current password",
        "staff_new_password": "New password", "staff_new_password_hint": "At least 12 characters.",
        "staff_again_password": "New password again", "staff_save": "Change password",
        "staff_password_changed": "Your password has been changed.",
        "staff_current_wrong": "This is not your current password.",
        "staff_passwords_differ": "The two new passwords are not the same.",
    },
    "fr": {
        "qualification": "Certification", "organisation": "Organisation", "concept": "Concept",
        "dataset": "Jeu de données", "resource": "Ressource", "language": "Langue",
        "description": "Description",
        "field": "Domaine d'études et de formation (CITE-F)", "country": "Pays ou région",
        "eqf": "Niveau CEC", "nqf": "Niveau du cadre national", "outcomes": "Acquis d'apprentissage",
        "knowledge": "Savoirs", "skills": "Aptitudes",
        "responsibility": "Responsabilité et autonomie", "esco": "Compétences ESCO",
        "awarding": "Organisme certificateur", "credits": "Crédits", "volume": "Charge de travail théorique",
        "quality": "Assurance qualité", "entry": "Conditions d'accès", "ways": "Modes d'acquisition",
        "languages": "Langue de la certification", "homepage": "Plus d'informations",
        "supplement": "Supplément", "identifier": "Identifiant", "publisher": "Source de l'information",
        "modified": "Dernière mise à jour", "not_stated": "Non précisé",
        "fallback": "Non disponible en français ; affiché en",
        "other_formats": "Cette page en données", "qualifications": "Certifications",
        "awards": "Certifications délivrées", "using": "Certifications liées à ce concept",
        "scheme": "Dans le référentiel", "property": "Propriété", "value": "Valeur", "issued": "Délivré le",
        "expires": "Valable jusqu'au", "triples": "Triplets", "conforms": "Conforme au profil LOQ",
        "score": "Complétude annexe VI", "previous": "Précédente", "next": "Suivante", "page": "Page",
        "of": "sur", "location": "Lieu", "accredited_by": "accrédité par", "iri": "Identifiant (IRI)",
        "yes": "oui", "no": "non", "none": "Rien n'est enregistré.",
        "lang_en": "anglais", "lang_fr": "français", "hours": "heures",
        # pages du personnel (portal/staff)
        "staff": "Personnel", "staff_login": "Se connecter",
        "staff_login_intro": "Connectez-vous avec votre compte du registre.",
        "staff_email": "Adresse électronique", "staff_password": "Mot de passe",
        "staff_signed_out": "Vous êtes déconnecté.",
        "staff_login_failed": "Adresse ou mot de passe erroné, ou compte verrouillé ou désactivé.",
        "staff_logout": "Se déconnecter", "staff_dashboard": "Tableau de bord", "staff_account": "Votre compte",
        "staff_you": "Connecté en tant que", "staff_role": "Rôle", "staff_organisations": "Organisations",
        "staff_no_organisation": "Aucune : vous agissez pour l'autorité.", "staff_public_site": "Site public",
        "staff_role_admin": "administrateur", "staff_role_reviewer": "relecteur", "staff_role_editor": "éditeur",
        "staff_coming": "Ce que vous ferez ici",
        "staff_coming_note": "Les pages des fiches sont en cours de réalisation ; rien de ce qui suit n'est "
                             "encore disponible.",
        "staff_coming_editor": "Voir les fiches de vos organisations par état ; créer une fiche dans un formulaire, "
                               "la modifier et la soumettre à relecture ; corriger une fiche qu'un relecteur vous "
                               "a renvoyée.",
        "staff_coming_reviewer": "Voir la file de relecture, les plus anciennes d'abord ; ouvrir une soumission comme "
                                 "différence avec la version publiée ; l'approuver ou la renvoyer avec un motif ; "
                                 "retirer ou remplacer une fiche publiée.",
        "staff_coming_admin": "Un administrateur ne modifie aucune certification. Organisations, utilisateurs et "
                              "jetons d'API se gèrent sur le serveur avec la commande nqdb (nqdb organisation, "
                              "nqdb user, nqdb token).",
        "staff_change_password": "Changer votre mot de passe", "staff_current_password": "Mot de passe actuel",
        "staff_new_password": "Nouveau mot de passe", "staff_new_password_hint": "Au moins 12 caractères.",
        "staff_again_password": "Nouveau mot de passe (à nouveau)", "staff_save": "Changer le mot de passe",
        "staff_password_changed": "Votre mot de passe a été changé.",
        "staff_current_wrong": "Ce n'est pas votre mot de passe actuel.",
        "staff_passwords_differ": "Les deux nouveaux mots de passe ne sont pas identiques.",
    },
}

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "de": "Deutsch", "nl": "Nederlands"}


_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")


def workload_hours(duration: str) -> int | None:
    """Hours in an xsd:duration made of days, hours and minutes (P37DT12H -> 900), else None."""
    match = _DURATION.match(duration)
    if not match or not any(match.groups()):
        return None
    days, hours, minutes = (int(g or 0) for g in match.groups())
    return days * 24 + hours + round(minutes / 60)


def ui_text(language: str) -> dict[str, str]:
    """The wording for `language`, English for anything we have not translated."""
    return {**UI["en"], **UI.get(language, {})}
