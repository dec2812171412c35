"""Textes des visites d'étude, des outils du secrétariat et de la curation du corpus (une
partie du catalogue `fr`, à part pour que chaque module reste lisible)."""

TEXTS: dict[str, str] = {
    # study visits
    "visit_intro": (
        "<b>Visite d'étude</b>\nLe secrétariat ICC organise des visites d'étude entre villes "
        "membres. Je vous demanderai le domaine, une ville mentor, le format, une période, la "
        "taille du groupe et une courte note."
    ),
    "visit_choose_area": "Sur quel domaine porte la visite ?",
    "visit_unknown_area": "Je ne connais pas le domaine « {text} ». Choisissez-en un :",
    "visit_heading": "<b>Visite d'étude : {area}</b>",
    "visit_mentors_intro": "Villes mentors suggérées, et pourquoi :",
    "visit_candidate_line": (
        "• <b>{city}</b> ({country}) : forte dans ce domaine selon sa propre auto-évaluation "
        "(estimation {score}/100, pas un résultat officiel)"
    ),
    "visit_no_mentor": (
        "Aucune ville mentor n'est encore documentée pour ce domaine : le secrétariat peut choisir."
    ),
    "visit_choose_mentor": "Choisissez une ville à visiter, ou laissez le secrétariat choisir.",
    "btn_secretariat_chooses": "Laisser le secrétariat choisir",
    "btn_visit_cancel": "Annuler",
    "btn_visit_confirm": "Envoyer la demande",
    "btn_no_note": "Pas de note",
    "visit_ask_format": "Sur place ou en ligne ?",
    "visit_format_onsite": "Sur place",
    "visit_format_online": "En ligne",
    "visit_ask_period": (
        "Quand cela vous conviendrait-il ? Choisissez, ou écrivez-le (ex. <i>mai 2027</i>)."
    ),
    "visit_period_3m": "D'ici 3 mois",
    "visit_period_6m": "D'ici 6 mois",
    "visit_period_12m": "D'ici un an",
    "visit_period_flex": "Flexible",
    "visit_period_too_long": "Merci de décrire la période en {limit} caractères au plus.",
    "visit_ask_group": (
        "Combien de personnes participeraient ? Choisissez, ou écrivez un nombre jusqu'à {limit}."
    ),
    "visit_group_hint": "Merci d'écrire un nombre de personnes de 1 à {limit}, ou d'en choisir un.",
    "visit_ask_note": (
        "Une courte note pour le secrétariat (ce que vous voulez apprendre, vos contraintes), "
        "{limit} caractères au plus. Ou appuyez sur <b>Pas de note</b>."
    ),
    "visit_note_too_long": "Merci de garder la note sous {limit} caractères.",
    "visit_confirm_heading": "<b>Votre demande de visite d'étude</b>",
    "visit_field_city": "Ville : {value}",
    "visit_field_area": "Domaine : {value}",
    "visit_field_mentor": "Ville mentor : {value}",
    "visit_field_format": "Format : {value}",
    "visit_field_period": "Période : {value}",
    "visit_field_group": "Taille du groupe : {value}",
    "visit_field_note": "Note : {value}",
    "visit_field_status": "Statut : <b>{value}</b>",
    "visit_any_mentor": "choisie par le secrétariat",
    "visit_no_city": "aucune ville membre indiquée",
    "visit_city_forgotten": "effacée avec les données personnelles de l'agent",
    "visit_cancelled": "La demande de visite d'étude est annulée ; rien n'a été envoyé.",
    "visit_submitted": (
        "✓ Demande <b>{reference}</b> envoyée au secrétariat ICC. Je vous dirai ici quand son "
        "statut change ; /myrequests liste vos demandes."
    ),
    "visit_stored_unrouted": (
        "La demande <b>{reference}</b> est enregistrée, mais personne au secrétariat ICC n'est "
        "encore configuré pour recevoir les demandes : elle n'est parvenue à personne. "
        "/myrequests liste vos demandes ; écrivez aussi directement au secrétariat."
    ),
    "visit_sent_toast": "Demande envoyée",
    "visit_details_heading": "<b>Demande de visite d'étude {reference}</b>",
    "visit_request_line": "• <b>{reference}</b> {area}, {mentor} : {status} ({date})",
    "visit_status_new": "nouvelle",
    "visit_status_forwarded": "transmise",
    "visit_status_accepted": "acceptée",
    "visit_status_declined": "refusée",
    "visit_status_done": "réalisée",
    "visit_now_forwarded": (
        "Votre demande de visite d'étude <b>{reference}</b> a été transmise à l'hôte."
    ),
    "visit_now_accepted": (
        "Bonne nouvelle : votre demande de visite d'étude <b>{reference}</b> est acceptée."
    ),
    "visit_now_declined": (
        "Votre demande de visite d'étude <b>{reference}</b> a été refusée. Le secrétariat peut "
        "suggérer une autre ville : répondez avec /visit."
    ),
    "visit_now_done": "Votre visite d'étude <b>{reference}</b> est marquée comme réalisée. Merci !",
    "visit_now_new": "Votre demande de visite d'étude <b>{reference}</b> est de nouveau ouverte.",
    "myrequests_heading": "<b>Vos demandes de visite d'étude</b>",
    "myrequests_none": (
        "Vous n'avez pas encore de demande de visite d'étude. Lancez-en une avec /visit."
    ),
    # the secretariat
    "admin_only": "Désolé, cette commande est réservée au secrétariat ICC.",
    "admin_new_request": (
        "<b>Nouvelle demande de visite d'étude</b> (le nom et le nom d'utilisateur de l'agent "
        "figurent dans /export tant qu'il conserve ses données)"
    ),
    "admin_also_weak": "Autres villes travaillant sur ce domaine (visite conjointe ?) : {cities}",
    "btn_status_forwarded": "Transmettre",
    "btn_status_accepted": "Accepter",
    "btn_status_declined": "Refuser",
    "btn_status_done": "Marquer réalisée",
    "admin_status_set": "Statut : {status}",
    "admin_no_requests": "Aucune demande ne correspond.",
    "admin_requests_heading": "<b>Demandes de visite d'étude</b> ({count} dernières)",
    "admin_unknown_filter": (
        "Je ne connais pas le statut ou le domaine « {text} ». Utilisez nouvelle, transmise, "
        "acceptée, refusée, réalisée, ou un nom de domaine."
    ),
    "admin_export_requests": "Toutes les demandes de visite d'étude (CSV).",
    "admin_export_results": (
        "Derniers résultats d'auto-évaluation des {count} agents qui ont consenti (CSV)."
    ),
    "admin_export_no_results": "Aucun agent n'a encore consenti à partager ses résultats.",
    "stats_heading": "<b>Statistiques, {days} derniers jours</b>",
    "stats_questions": "Questions : {count}, répondues à partir des documents : {share} %",
    "stats_day": "• {day} : {count} ({answered} répondues)",
    "stats_feedback": "Avis : {helpful} utiles, {unhelpful} pas utiles",
    "stats_unanswered_heading": "Questions sans réponse les plus fréquentes :",
    "stats_unanswered_line": "• {count}× {text}",
    "stats_none": "• aucune",
    "stats_selfchecks": "Auto-évaluations terminées : {count}",
    "stats_requests_heading": "Demandes de visite d'étude par domaine (depuis le début) :",
    "stats_area_line": "• {area} : {count}",
    "stats_peers_heading": (
        "<b>Auto-évaluations des villes membres par domaine</b> (dernière auto-évaluation "
        "partagée de chaque ville, modèle {version} ; une moyenne est montrée à partir de {min} "
        "villes) :"
    ),
    "stats_peers_line": "• {area} : {parts}",
    "stats_peers_shown": "{scope} {average} ({count} villes)",
    "stats_peers_few": "{scope} : {count}/{min} villes, non montrée",
    "stats_peers_no_city": "0/{min} villes, non montrée",
    "stats_peers_nobody": (
        "• aucune ville membre n'a encore partagé d'auto-évaluation avec ce modèle"
    ),
    "stats_peers_scope_area": "évaluation d'un domaine",
    # corpus curation
    "upload_refused": "Je n'ai pas indexé <b>{name}</b> : {reason}. L'index est inchangé.",
    "upload_bad_type": (
        "les fichiers {suffix} ne sont pas acceptés (envoyez un PDF, DOCX, HTML ou Markdown)"
    ),
    "upload_too_big": "le fichier dépasse {limit} Mo",
    "upload_empty": "le fichier est vide",
    "upload_not_really": "ce n'est pas un vrai fichier {suffix}",
    "upload_added": "✓ <b>{name}</b> indexé{pages} ; ajoutés à l'index : {passages}.",
    "upload_pages": " ({pages})",
    "upload_updated": ("✓ <b>{name}</b> remplace sa version précédente{pages} : {passages}."),
    "upload_original_of": (
        "C'est l'original de notre synthèse <i>{digest}</i> : ses passages passent désormais "
        "en premier pour ce document, et les réponses le citent à la place de la synthèse."
    ),
    "upload_unchanged": "<b>{name}</b> est déjà indexé, inchangé.",
    # pourquoi un fichier est refusé (retrieval.errors.Reason), après « Je n'ai pas indexé x : »
    "doc_unsupported_type": "les fichiers {suffix} ne sont pas acceptés",
    "doc_unreadable": "le fichier ne peut pas être lu",
    "doc_empty": "le fichier est vide",
    "doc_no_text": "aucun texte n'a pu en être extrait",
    "doc_binary": "c'est un fichier binaire, pas du texte",
    "doc_not_utf8": (
        "le texte n'est pas en UTF-8 valide ; enregistrez-le en UTF-8 et envoyez-le de nouveau"
    ),
    "doc_bad_front_matter": "son en-tête (entre les ---) n'est pas du YAML valide",
    "doc_too_big": "le fichier dépasse la limite de {limit} Mo",
    "doc_too_many_pages": "le document a plus de {limit} pages ; envoyez-le en plusieurs parties",
    "doc_pdf_password": ("le PDF est protégé par un mot de passe ; envoyez une copie non protégée"),
    "doc_pdf_encryption": (
        "le PDF utilise un chiffrement que je ne sais pas ouvrir ; envoyez une copie non protégée"
    ),
    "doc_pdf_damaged": "le PDF est endommagé et illisible",
    "doc_pdf_scan": "le PDF n'a pas de couche texte (un scan ?) ; envoyez un PDF texte",
    "doc_pdf_unpacked": (
        "le PDF se décompresse en plus de données que permis (endommagé ou malveillant)"
    ),
    "doc_docx_damaged": "ce n'est pas un DOCX lisible : l'archive zip est endommagée",
    "doc_docx_password": (
        "le DOCX est protégé par un mot de passe ; envoyez une copie non protégée"
    ),
    "doc_docx_old_format": (
        "c'est un ancien fichier Word (.doc) ; enregistrez-le en .docx et envoyez-le de nouveau"
    ),
    "doc_docx_not_word": "ce n'est pas un DOCX lisible : il ne contient pas de document Word",
    "doc_docx_broken_xml": (
        "ce n'est pas un DOCX lisible : son XML est cassé (enregistrez-le de nouveau dans Word)"
    ),
    "doc_zip_unpacked": "le DOCX se décompresse en plus de {limit} Mo",
    "doc_zip_entries": "le DOCX contient {count} fichiers, plus que les {limit} permis",
    "doc_zip_ratio": (
        "la partie {part} du DOCX est compressée de façon suspecte (une bombe zip ?)"
    ),
    "doc_zip_method": "le DOCX utilise une compression que Word n'écrit jamais ({method})",
    "scores_refused": "Je n'ai pas chargé <b>{name}</b> : {reason}",
    "scores_loaded": (
        "✓ {count} scores officiels par domaine chargés pour {cities} villes : {names}."
    ),
    "documents_none": "Aucun document n'est indexé.",
    "documents_heading": "<b>Documents indexés</b> ({count})",
    "documents_line": "• {title} — <code>{doc_id}</code>{pages}, {passages}",
    "documents_pages": ", {pages}",
    "pages_one": "{n} page",
    "pages_other": "{n} pages",
    "passages_one": "{n} passage",
    "passages_other": "{n} passages",
    "documents_more": "… et {count} de plus.",
    "documents_hint": "Envoyez un fichier pour en ajouter un ; /remove &lt;id&gt; en retire un.",
    "remove_usage": "Utilisation : /remove &lt;id du document&gt; (voir /documents).",
    "remove_unknown": "Aucun document indexé n'a l'id « {doc_id} ». Voir /documents.",
    "remove_done": "<code>{doc_id}</code> retiré de l'index ({passages}).",
    "months": (
        "janvier,février,mars,avril,mai,juin,juillet,août,septembre,octobre,novembre,décembre"
    ),
}
