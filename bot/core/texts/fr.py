"""Textes français. Les clés doivent correspondre exactement à `en.py` (un test le vérifie) ;
les textes des visites d'étude et du secrétariat sont dans `fr_secretariat.py`."""

from bot.core.texts.fr_secretariat import TEXTS as SECRETARIAT_TEXTS

TEXTS: dict[str, str] = {
    # start, help, language, privacy
    "welcome": (
        "Bienvenue, {name} ! Je suis l'<b>Assistant politique ICC</b> du réseau des Cités "
        "interculturelles du Conseil de l'Europe."
    ),
    "welcome_anon": (
        "Bienvenue ! Je suis l'<b>Assistant politique ICC</b> du réseau des Cités "
        "interculturelles du Conseil de l'Europe."
    ),
    "ask_city": (
        "Pour quelle ville travaillez-vous ? Tapez son nom (par exemple <i>Barcelone</i>), "
        "ou appuyez sur <b>Autre</b>."
    ),
    "city_saved": "C'est noté : vous travaillez pour <b>{city}</b> ({country}).",
    "city_other_saved": "C'est noté : une ville hors de la liste des membres ICC.",
    "city_skipped": (
        "J'ai pris cela pour une question, sans enregistrer de ville : /start la définit."
    ),
    "city_not_found": (
        "Je ne trouve pas « {text} » parmi les villes membres ICC. Tapez le nom à nouveau, "
        "ou appuyez sur <b>Autre</b>."
    ),
    "capabilities": (
        "Ce que je sais faire :\n"
        "• Répondre aux questions à partir des documents ICC, avec les sources : tapez "
        "simplement votre question.\n"
        "• /selfcheck : évaluer votre ville selon l'Index ICC, voir les domaines faibles et les "
        "villes mentors.\n"
        "• /mentors : des villes dont s'inspirer, domaine par domaine.\n"
        "• /visit : demander une visite d'étude au secrétariat ICC ; /myrequests pour le suivi.\n"
        "• /language, /help, /privacy, /cancel."
    ),
    "help": (
        "<b>Mode d'emploi</b>\n"
        "• Posez une question, p. ex. <i>Comment associer les migrants aux décisions ?</i> "
        "Je réponds à partir des documents ICC avec des sources numérotées.\n"
        "• /selfcheck : une évaluation rapide (5 minutes), complète ou d'un seul domaine selon "
        "l'Index ICC. Utilisez les boutons ; vous pouvez revenir en arrière, passer, répondre "
        "« Je ne sais pas » ou faire une pause et reprendre plus tard.\n"
        "• /mentors [domaine] : les villes mentors d'un domaine.\n"
        "• /visit [domaine] : demander une visite d'étude ; /myrequests : leur statut.\n"
        "• /language : anglais ou français.\n"
        "• /cancel : quitter l'étape en cours.\n"
        "• /privacy : ce que je conserve et pourquoi ; /mydata : une copie ; /forget : "
        "l'effacer."
    ),
    "btn_other_city": "Autre",
    "btn_change_city": "Changer de ville",
    "language_choose": "Choisissez votre langue :",
    "language_set": "Désormais, je vous écris en français.",
    "privacy": (
        "<b>Confidentialité</b>\n"
        "Je conserve votre identifiant Telegram, votre nom et votre langue, la ville pour "
        "laquelle vous travaillez, vos réponses et résultats d'auto-évaluation (pour reprendre "
        "et comparer), ainsi que vos questions et vos avis (pour que le secrétariat ICC "
        "améliore les documents), et vos demandes de visite d'étude (pour que le secrétariat "
        "les organise et vous tienne informé). Rien n'est vendu ni partagé hors du "
        "secrétariat ICC du Conseil de l'Europe."
    ),
    # input checks and errors
    "bad_empty": "Votre message est vide. Posez une question, ou voyez /help.",
    "bad_too_long": (
        "Votre message est trop long ({length} caractères). Merci de rester sous {limit} "
        "caractères."
    ),
    "bad_control": (
        "Votre message contient des caractères de contrôle invisibles. Merci de le retaper."
    ),
    "bad_binary": (
        "Cela ressemble à des données illisibles ou binaires, pas à du texte. "
        "Merci de taper votre question."
    ),
    "file_not_supported": (
        "Je ne peux pas utiliser de fichiers ici. Tapez plutôt votre question, ou voyez /help."
    ),
    "unknown_command": "Je ne connais pas la commande {command}. Voyez /help.",
    "stale_button": "Ce bouton n'est plus valable. Voici où vous en êtes.",
    "already_done": "C'est fait : c'était déjà enregistré.",
    "invalid_button": "Désolé, je ne peux pas utiliser ce bouton.",
    "foreign_button": "Ce bouton appartient à la conversation de quelqu'un d'autre.",
    "internal_error": (
        "Désolé, un problème est survenu de mon côté. Merci de réessayer dans un instant."
    ),
    # envoyés par le transport Telegram lui-même, en texte brut : aucun balisage ici
    "apology": (
        "Désolé, un problème est survenu de notre côté. Veuillez réessayer dans un instant."
    ),
    "apology_parts_missing": (
        "Désolé, la partie {missing} sur {total} de ma réponse ne vous est pas parvenue. "
        "Veuillez réessayer dans un instant."
    ),
    "private_chat_only": (
        "Je ne réponds qu'en conversation privée : écrivez-moi directement pour poser une "
        "question ou faire l'auto-évaluation."
    ),
    "cancel_done": "C'est fait : vous avez quitté l'étape en cours. Vos réponses sont conservées.",
    "cancel_nothing": "Il n'y a rien à annuler. Posez une question ou voyez /help.",
    # questions and answers
    "rate_limited": (
        "Vous avez posé {limit} questions dans la dernière minute. Merci de patienter un peu "
        "avant de continuer."
    ),
    "qa_heading_sources": "<b>Sources</b>",
    "qa_source_line": "[{n}] {link}{where}",
    "qa_digest_of": "{link} (notre synthèse)",
    "qa_page": "p. {page}",
    "qa_not_covered": (
        "Je n'ai pas trouvé cela dans les documents ICC dont je dispose, et je préfère ne pas "
        "deviner."
    ),
    "qa_not_today": (
        "Les documents de l'ICC décrivent la situation au moment où ils ont été écrits, pas "
        "celle d'aujourd'hui : je préfère ne pas deviner. Le secrétariat de l'ICC ou "
        "l'organisme concerné pourra vous répondre."
    ),
    "qa_closest": (
        "Les passages les plus proches que j'ai trouvés (ils ne répondent <b>pas</b> à votre "
        "question) :"
    ),
    "qa_tentative": (
        "⚠️ <i>Correspondance approximative : les documents ne répondent peut-être pas "
        "exactement à cette question. Vérifiez les sources avant de vous y fier.</i>"
    ),
    "qa_quoted_in": "<i>Extraits des documents (en {language}) :</i>",
    "qa_quoted_original": "<i>Extraits des documents (dans leur langue d'origine) :</i>",
    "language_in_en": "anglais",
    "language_in_fr": "français",
    "qa_rephrase": "Vous pouvez reformuler, ou poser une question sur l'un de ces sujets.",
    "btn_sources": "Sources",
    "btn_helpful": "👍 Utile",
    "btn_not_helpful": "👎 Pas utile",
    "qa_quotes_heading": "<b>Les passages à l'appui de cette réponse</b>",
    "qa_no_sources": "Cette réponse ne cite aucun passage.",
    "fb_thanks": "Merci pour votre avis !",
    "fb_ask_reason": "Qu'est-ce qui n'allait pas dans la réponse ?",
    "reason_wrong": "Erronée",
    "reason_incomplete": "Incomplète",
    "reason_irrelevant": "Hors sujet",
    "reason_unclear": "Peu claire",
    # self-check
    "sc_choose_scope": (
        "<b>Auto-évaluation selon l'Index ICC</b>\n"
        "Choisissez l'étendue. Vos réponses sont enregistrées au fur et à mesure ; vous pouvez "
        "faire une pause à tout moment.\n"
        "<i>{disclaimer}</i>"
    ),
    "btn_quick": "Rapide (~5 min)",
    "btn_full": "Complète",
    "btn_one_area": "Un domaine",
    "sc_choose_area": "Quel domaine voulez-vous évaluer ?",
    "sc_progress": "Domaine {area}/{areas}, question {question}/{questions}",
    "sc_multi_hint": "Sélectionnez tout ce qui s'applique, puis appuyez sur <b>Terminé</b>.",
    "sc_current_answer": "Votre réponse actuelle : {answer}",
    "btn_dont_know": "Je ne sais pas",
    "btn_skip": "Passer",
    "btn_back": "« Retour",
    "btn_pause": "Pause",
    "btn_done": "Terminé",
    "btn_resume": "Reprendre",
    "btn_start_over": "Recommencer",
    "sc_saved": "Enregistré",
    "sc_paused": (
        "En pause à la question {question}/{questions}. Vos réponses sont enregistrées : "
        "envoyez /selfcheck ou appuyez sur Reprendre pour continuer."
    ),
    "sc_resume_offer": (
        "Vous avez une auto-évaluation inachevée ({scope}), à la question "
        "{question}/{questions}. La reprendre, ou recommencer ?"
    ),
    "sc_model_changed": (
        "Le modèle de l'Index ICC a été mis à jour depuis le début de cette auto-évaluation : "
        "elle ne peut pas être reprise. Merci d'en commencer une nouvelle."
    ),
    "sc_already_open": "Vous avez déjà une auto-évaluation inachevée.",
    "scope_quick": "évaluation rapide",
    "scope_full": "évaluation complète",
    "scope_area": "domaine : {area}",
    "sc_answer_dont_know": "Je ne sais pas",
    "sc_answer_skipped": "Question passée",
    "sc_completed": "✓ Auto-évaluation terminée : voici vos résultats.",
    "sc_results_heading": "<b>Votre auto-évaluation selon l'Index ICC : scores estimés</b>",
    "sc_overall": "Global : <b>{score}</b>/100",
    "sc_lens": "Prisme interculturel : <b>{score}</b>/100",
    "sc_overall_too_few": "Global : non estimé (domaines notés : {scored} sur {total})",
    "sc_area_line": "{marker} {area} : <b>{score}</b>{network}{coverage}",
    "sc_network": " (réseau {value})",
    "sc_peer": " (villes membres {value})",
    "sc_peer_note": (
        "<i>Villes membres : moyenne des auto-évaluations de {count} villes membres utilisant "
        "cet assistant (la dernière auto-évaluation partagée de chaque ville, du même type, en "
        "points entiers). Des estimations, pas des résultats officiels.</i>"
    ),
    "sc_coverage": " — {percent} % du domaine couvert",
    "sc_not_scored": "non noté",
    "sc_weak_marker": "⚠️",
    "sc_strong_marker": "★",
    "sc_plain_marker": "•",
    "sc_rule": "<i>{rule}</i>",
    "sc_estimate": "<i>{disclaimer}</i>",
    "sc_chart_caption": (
        "Domaines de l'Index ICC estimés (auto-évaluation, pas un résultat officiel)"
    ),
    "sc_no_weak": "Aucun domaine faible dans cette évaluation. Bravo !",
    "sc_weak_heading": "<b>Domaine faible : {area}</b> ({score}/100)",
    "sc_mentors_heading": "Villes mentors dont s'inspirer :",
    "sc_mentor_line": "• <b>{city}</b> ({country}) : {reason} {link}",
    "sc_no_mentor": "Aucune ville mentor n'est encore documentée pour ce domaine.",
    "sc_guides_heading": "Dans les guides ICC (extraits en anglais) :",
    "sc_guide_line": "• {link}{where} : « {quote} »",
    "sc_source": "source",
    "sc_since_heading": "<b>Depuis votre auto-évaluation précédente</b> ({date}) :",
    "sc_delta_line": "{delta} en {area} depuis {month}",
    "sc_no_change": "Aucun domaine n'a changé depuis {month}.",
    "btn_visit": "Demander une visite d'étude : {area}",
    # mentors
    "mentors_choose_area": "Villes mentors pour quel domaine ?",
    "mentors_heading": "<b>Villes mentors pour {area}</b>",
    "mentors_weakest_intro": (
        "Votre dernière auto-évaluation ({date}) a trouvé ces domaines les plus faibles ; des "
        "villes dont s'inspirer, du plus faible au moins faible."
    ),
    "mentors_other_area": "Ou choisissez un autre domaine :",
    "mentors_unknown_area": "Je ne connais pas le domaine « {text} ». Choisissez-en un :",
    # pourquoi une ville est mentor (scoring.mentors.EvidenceKind) ; aussi affiché par la CLI
    "mentor_evidence_official": (
        "Score officiel de l'Index ICC : {score}/100 dans ce domaine ({year})"
    ),
    "mentor_evidence_area_score": (
        "{score}/100 dans ce domaine selon son rapport de l'Index ICC de {year}"
    ),
    "mentor_evidence_above_average": (
        "Au-dessus de la moyenne de l'échantillon dans ce domaine selon son rapport de "
        "l'Index ICC de {year}"
    ),
    "mentor_evidence_stand_out_vs_95_cities": (
        "Se distingue dans ce domaine parmi 95 villes (rapport de l'Index ICC de {year})"
    ),
    "mentor_evidence_maximum_score": (
        "Score maximal dans ce domaine selon son rapport de l'Index ICC de {year}"
    ),
    "mentor_evidence_highlighted_strength": (
        "Domaine souligné comme un point fort (rapport de l'Index ICC de {year})"
    ),
    "mentor_evidence_practice": "Bonne pratique documentée dans ce domaine",
    # ville connue par ses seuls résultats, et nature de la source d'une pratique
    "mentor_score_only": "{evidence} (aucune pratique documentée dans ce domaine à ce jour)",
    "mentor_note_in_english": "(pratique décrite en anglais)",
    "mentor_note_icc_listing": "(répertoriée parmi les bonnes pratiques ICC)",
    "mentor_note_listing": "(répertoriée sur une page de liste de {site})",
    "mentor_note_other_city": "(source : une page de {city})",
    "mentor_note_unresolved": (
        "(l'adresse relevée mène au site des Cités interculturelles, pas à la page de la pratique)"
    ),
    # privacy
    "privacy_retention": (
        "Les données personnelles sont supprimées après {days} jours sans contact ; les "
        "questions ne restent alors que comme statistiques anonymes."
    ),
    "privacy_secretariat": (
        "<b>Ce que garde le secrétariat ICC.</b> Sa notification d'une nouvelle demande de "
        "visite d'étude indique votre ville, pas votre nom ; votre nom et votre nom "
        "d'utilisateur ne lui parviennent que par mes propres données (son /export), que "
        "/forget efface. Après /forget, ou {days} jours sans contact, une demande ne garde que "
        "sa référence, son domaine, la ville mentor, le format, la taille du groupe, le statut "
        "et ses dates (dépôt, dernier changement) : ni nom, ni ville, ni période souhaitée, ni "
        "note. C'est ce dont le secrétariat a besoin pour honorer une visite acceptée ; elle est "
        "conservée sans limite de durée comme archive des visites d'étude du réseau. Les "
        "messages que le secrétariat a déjà reçus dans Telegram restent dans sa conversation."
    ),
    "privacy_rights": (
        "/mydata vous envoie tout ce que je conserve sur vous. /forget l'efface : vos "
        "auto-évaluations sont supprimées et vos demandes de visite ne sont conservées que "
        "comme indiqué ci-dessus."
    ),
    "privacy_consent_mentor": (
        "Proposition comme ville mentor d'après les points forts de vos auto-évaluations : {value}"
    ),
    "privacy_consent_results": (
        "Résultats d'auto-évaluation partagés avec le secrétariat ICC : {value}"
    ),
    "consent_given": "oui",
    "consent_refused": "non",
    "consent_not_asked": "pas encore demandé",
    "btn_consent_mentor_yes": "Mentor : oui",
    "btn_consent_mentor_no": "Mentor : non",
    "btn_consent_results_yes": "Partager les résultats : oui",
    "btn_consent_results_no": "Partager les résultats : non",
    "btn_yes": "Oui",
    "btn_no": "Non",
    "consent_ask_m": (
        "Une question, posée une seule fois : là où votre auto-évaluation montre un domaine fort, "
        "le secrétariat ICC peut-il proposer votre ville comme mentor à d'autres villes ? Vous "
        "pouvez changer d'avis dans /privacy."
    ),
    "consent_ask_r": (
        "Et le secrétariat ICC peut-il voir vos résultats d'auto-évaluation (par ville, pas par "
        "nom) pour suggérer des visites conjointes et dans ses exports, et peuvent-ils compter "
        "dans la moyenne des villes membres que voient d'autres responsables (seulement dans "
        "une moyenne d'au moins 5 villes, jamais seuls) ? Modifiable dans /privacy."
    ),
    "consent_saved": "Enregistré",
    "consent_saved_m_1": (
        "Merci : votre ville pourra être proposée comme mentor dans ses domaines forts."
    ),
    "consent_saved_m_0": (
        "C'est noté : votre ville ne sera pas proposée comme mentor d'après vos auto-évaluations."
    ),
    "consent_saved_r_1": (
        "Merci : le secrétariat pourra utiliser vos résultats d'auto-évaluation, et ils "
        "compteront dans la moyenne des villes membres."
    ),
    "consent_saved_r_0": "C'est noté : vos résultats d'auto-évaluation restent privés.",
    "mydata_intro": "Voici tout ce que je conserve sur vous.",
    "mydata_caption": "Vos données dans l'Assistant politique ICC (JSON)",
    "forget_confirm": (
        "<b>Supprimer vos données ?</b>\n"
        "Votre profil, vos réponses et résultats d'auto-évaluation sont supprimés ; vos demandes "
        "de visite d'étude ne gardent que leur référence, leur domaine, la ville mentor, le "
        "format, la taille du groupe, le statut et leurs dates, pour les archives du réseau "
        "(ni nom, ni ville, ni période, ni note) ; vos questions ne restent que comme "
        "statistiques anonymes. C'est irréversible."
    ),
    "btn_forget_yes": "Oui, supprimer mes données",
    "btn_forget_no": "Non, les garder",
    "forget_done": (
        "Vos données ont été supprimées. Si vous m'écrivez à nouveau, je repars de zéro."
    ),
    "forget_done_toast": "Supprimé",
    "forget_kept": "Rien n'a été supprimé.",
    **SECRETARIAT_TEXTS,
}


#: The countries of the city data (corpus/cities/*.csv, in English there) in French; a test
#: checks that every country of the data has its name here.
COUNTRY_NAMES: dict[str, str] = {
    "Australia": "Australie",
    "Canada": "Canada",
    "Croatia": "Croatie",
    "Cyprus": "Chypre",
    "Denmark": "Danemark",
    "Faroe Islands": "Îles Féroé",
    "France": "France",
    "Germany": "Allemagne",
    "Greece": "Grèce",
    "Hungary": "Hongrie",
    "Iceland": "Islande",
    "Ireland": "Irlande",
    "Israel": "Israël",
    "Italy": "Italie",
    "Japan": "Japon",
    "Luxembourg": "Luxembourg",
    "Malta": "Malte",
    "Mexico": "Mexique",
    "Morocco": "Maroc",
    "Netherlands": "Pays-Bas",
    "New Zealand": "Nouvelle-Zélande",
    "Norway": "Norvège",
    "Poland": "Pologne",
    "Portugal": "Portugal",
    "Serbia": "Serbie",
    "South Korea": "Corée du Sud",
    "Spain": "Espagne",
    "Sweden": "Suède",
    "Switzerland": "Suisse",
    "Turkey": "Turquie",
    "Ukraine": "Ukraine",
    "United Kingdom": "Royaume-Uni",
    "United States": "États-Unis",
}
