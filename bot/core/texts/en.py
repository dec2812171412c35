"""English texts. Keys must match `fr.py` exactly (a test checks); the study-visit and
secretariat texts are in `en_secretariat.py`."""

from bot.core.texts.en_secretariat import TEXTS as SECRETARIAT_TEXTS

TEXTS: dict[str, str] = {
    # start, help, language, privacy
    "welcome": (
        "Welcome, {name}! I am the <b>ICC Policy Assistant</b> for the Council of Europe's "
        "Intercultural Cities network."
    ),
    "welcome_anon": (
        "Welcome! I am the <b>ICC Policy Assistant</b> for the Council of Europe's "
        "Intercultural Cities network."
    ),
    "ask_city": (
        "Which city do you work for? Type its name (for example <i>Barcelona</i>), "
        "or press <b>Other</b>."
    ),
    "city_saved": "Noted: you work for <b>{city}</b> ({country}).",
    "city_other_saved": "Noted: a city outside the ICC member list.",
    "city_skipped": "I took that as a question, and left your city unset: /start sets it.",
    "city_not_found": (
        "I could not find “{text}” among the ICC member cities. Type the name again, "
        "or press <b>Other</b>."
    ),
    "capabilities": (
        "What I can do:\n"
        "• Answer questions from the ICC documents, with sources: just type your question.\n"
        "• /selfcheck: check your city against the ICC Index, see weak areas and mentor cities.\n"
        "• /mentors: cities to learn from, area by area.\n"
        "• /visit: ask the ICC secretariat for a study visit; /myrequests follows them.\n"
        "• /language, /help, /privacy, /cancel."
    ),
    "help": (
        "<b>How to use me</b>\n"
        "• Type a question, e.g. <i>How can a city involve migrants in decision making?</i> "
        "I answer from the ICC documents with numbered sources.\n"
        "• /selfcheck: a quick (5 minutes), full or one-area check against the ICC Index. "
        "Use the buttons; you can go back, skip, answer “Don't know” or pause and resume later.\n"
        "• /mentors [area]: mentor cities for an area.\n"
        "• /visit [area]: request a study visit to a mentor city; /myrequests: their status.\n"
        "• /language: English or French.\n"
        "• /cancel: leave what you are doing.\n"
        "• /privacy: what I store and why; /mydata: a copy of it; /forget: delete it."
    ),
    "btn_other_city": "Other",
    "btn_change_city": "Change city",
    "language_choose": "Choose your language:",
    "language_set": "From now on I will write in English.",
    "privacy": (
        "<b>Privacy</b>\n"
        "I store your Telegram id, name and language, the city you work for, your self-check "
        "answers and results (to resume and compare them), and the questions you ask with your "
        "feedback (so the ICC secretariat can improve the documents), and your study-visit "
        "requests (so the secretariat can arrange them and tell you how they stand). Nothing "
        "is sold or shared outside the Council of Europe's ICC secretariat."
    ),
    # input checks and errors
    "bad_empty": "Your message is empty. Type a question, or see /help.",
    "bad_too_long": (
        "Your message is too long ({length} characters). Please keep it under {limit} characters."
    ),
    "bad_control": "Your message contains invisible control characters. Please type it again.",
    "bad_binary": "That looks like garbled or binary data, not text. Please type your question.",
    "file_not_supported": "I cannot use files here. Type your question instead, or see /help.",
    "unknown_command": "I do not know the command {command}. See /help.",
    "stale_button": "That button no longer applies. Here is where you are now.",
    "already_done": "Done: that was already saved.",
    "invalid_button": "Sorry, I cannot use that button.",
    "foreign_button": "That button belongs to someone else's conversation.",
    "internal_error": "Sorry, something went wrong on my side. Please try again in a moment.",
    # sent by the Telegram transport itself, as plain text: no markup in these two
    "apology": "Sorry, something went wrong on our side. Please try again in a moment.",
    "apology_parts_missing": (
        "Sorry, part {missing} of {total} of my reply did not reach you. Please try again in a "
        "moment."
    ),
    "private_chat_only": (
        "I only talk in private chats: open a chat with me to ask questions or run a self-check."
    ),
    "cancel_done": "Done: you left the current step. Your self-check answers are kept.",
    "cancel_nothing": "There is nothing to cancel. Type a question or see /help.",
    # questions and answers
    "rate_limited": (
        "You have asked {limit} questions in the last minute. Please wait a moment before "
        "asking again."
    ),
    "qa_heading_sources": "<b>Sources</b>",
    "qa_source_line": "[{n}] {link}{where}",
    "qa_digest_of": "our digest of {link}",
    "qa_page": "p. {page}",
    "qa_not_covered": (
        "I could not find this in the ICC documents I have, so I would rather not guess."
    ),
    "qa_not_today": (
        "The ICC documents say how things stood when they were written, not how they stand "
        "today, so I would rather not guess. The ICC secretariat or the body concerned can "
        "tell you."
    ),
    "qa_closest": "The nearest passages I found (they do <b>not</b> answer your question):",
    "qa_tentative": (
        "⚠️ <i>Closest match only: the documents may not answer exactly this. Check the "
        "sources before relying on it.</i>"
    ),
    "qa_quoted_in": "<i>From the documents (in {language}):</i>",
    "qa_quoted_original": "<i>From the documents (in their original language):</i>",
    "language_in_en": "English",
    "language_in_fr": "French",
    "qa_rephrase": "You can rephrase your question, or ask about one of these topics.",
    "btn_sources": "Sources",
    "btn_helpful": "👍 Helpful",
    "btn_not_helpful": "👎 Not helpful",
    "qa_quotes_heading": "<b>The passages behind this answer</b>",
    "qa_no_sources": "This answer has no quoted passages.",
    "fb_thanks": "Thank you for the feedback!",
    "fb_ask_reason": "What was wrong with the answer?",
    "reason_wrong": "Wrong",
    "reason_incomplete": "Incomplete",
    "reason_irrelevant": "Not relevant",
    "reason_unclear": "Unclear",
    # self-check
    "sc_choose_scope": (
        "<b>ICC Index self-check</b>\n"
        "Choose how much to check. Your answers are saved as you go; you can pause at any time.\n"
        "<i>{disclaimer}</i>"
    ),
    "btn_quick": "Quick check (~5 min)",
    "btn_full": "Full check",
    "btn_one_area": "One area",
    "sc_choose_area": "Which area do you want to check?",
    "sc_progress": "Area {area}/{areas}, question {question}/{questions}",
    "sc_multi_hint": "Select all that apply, then press <b>Done</b>.",
    "sc_current_answer": "Your answer so far: {answer}",
    "btn_dont_know": "Don't know",
    "btn_skip": "Skip",
    "btn_back": "« Back",
    "btn_pause": "Pause",
    "btn_done": "Done",
    "btn_resume": "Resume",
    "btn_start_over": "Start over",
    "sc_saved": "Saved",
    "sc_paused": (
        "Paused at question {question}/{questions}. Your answers are saved: "
        "send /selfcheck or press Resume to continue."
    ),
    "sc_resume_offer": (
        "You have an unfinished self-check ({scope}), at question {question}/{questions}. "
        "Resume it, or start over?"
    ),
    "sc_model_changed": (
        "The ICC Index model was updated since you started this self-check, so it cannot be "
        "resumed. Please start a new one."
    ),
    "sc_already_open": "You already have an unfinished self-check.",
    "scope_quick": "quick check",
    "scope_full": "full check",
    "scope_area": "area: {area}",
    "sc_answer_dont_know": "Don't know",
    "sc_answer_skipped": "Skipped",
    "sc_completed": "✓ Self-check complete: your results follow.",
    "sc_results_heading": "<b>Your ICC Index self-check: estimated scores</b>",
    "sc_overall": "Overall: <b>{score}</b>/100",
    "sc_lens": "Intercultural lens: <b>{score}</b>/100",
    "sc_overall_too_few": "Overall: not estimated (areas scored: {scored} of {total})",
    "sc_area_line": "{marker} {area}: <b>{score}</b>{network}{coverage}",
    "sc_network": " (network {value})",
    "sc_peer": " (member cities {value})",
    "sc_peer_note": (
        "<i>Member cities: the average of the self-assessments of {count} member cities using "
        "this assistant (each city's latest shared self-check of this kind, in whole points). "
        "Estimates, not official results.</i>"
    ),
    "sc_coverage": " — {percent}% of the area covered",
    "sc_not_scored": "not scored",
    "sc_weak_marker": "⚠️",
    "sc_strong_marker": "★",
    "sc_plain_marker": "•",
    "sc_rule": "<i>{rule}</i>",
    "sc_estimate": "<i>{disclaimer}</i>",
    "sc_chart_caption": "Estimated ICC Index areas (self-check, not an official result)",
    "sc_no_weak": "No weak area in this check. Well done!",
    "sc_weak_heading": "<b>Weak area: {area}</b> ({score}/100)",
    "sc_mentors_heading": "Mentor cities to learn from:",
    "sc_mentor_line": "• <b>{city}</b> ({country}): {reason} {link}",
    "sc_no_mentor": "No mentor city is documented for this area yet.",
    "sc_guides_heading": "From the ICC guides:",
    "sc_guide_line": "• {link}{where}: “{quote}”",
    "sc_source": "source",
    "sc_since_heading": "<b>Since your previous self-check</b> ({date}):",
    "sc_delta_line": "{delta} in {area} since {month}",
    "sc_no_change": "No area changed since {month}.",
    "btn_visit": "Request a study visit: {area}",
    # mentors
    "mentors_choose_area": "Mentor cities for which area?",
    "mentors_heading": "<b>Mentor cities for {area}</b>",
    "mentors_weakest_intro": (
        "Your latest self-check ({date}) found these areas weakest; cities to learn from, "
        "weakest first."
    ),
    "mentors_other_area": "Or choose another area:",
    "mentors_unknown_area": "I do not know the area “{text}”. Choose one:",
    # why a city is a mentor (scoring.mentors.EvidenceKind); also printed by the CLI
    "mentor_evidence_official": "Official ICC Index score {score}/100 in this area ({year})",
    "mentor_evidence_area_score": "Scored {score}/100 in this area in its {year} ICC Index report",
    "mentor_evidence_above_average": (
        "Above the sample average in this area in its {year} ICC Index report"
    ),
    "mentor_evidence_stand_out_vs_95_cities": (
        "Stood out in this area among 95 cities in its {year} ICC Index report"
    ),
    "mentor_evidence_maximum_score": "Maximum score in this area in its {year} ICC Index report",
    "mentor_evidence_highlighted_strength": (
        "Area highlighted as a strength of its {year} ICC Index report"
    ),
    "mentor_evidence_practice": "Documented good practice in this area",
    # a mentor known only by its evidence, and what a practice's source is (scoring.cities)
    "mentor_score_only": "{evidence} (no practice documented in this area yet)",
    "mentor_note_in_english": "(practice described in English)",
    "mentor_note_icc_listing": "(listed among the ICC good practices)",
    "mentor_note_listing": "(listed on a page of {site})",
    "mentor_note_unresolved": (
        "(the address recorded for it leads to the ICC site, not to the practice's page)"
    ),
    "mentor_note_other_city": "(source: a {city} page)",
    # privacy
    "privacy_retention": (
        "Personal data is deleted after {days} days without contact; questions then stay only "
        "as anonymous statistics."
    ),
    "privacy_secretariat": (
        "<b>What the ICC secretariat keeps.</b> Its notification of a new study-visit request "
        "names your city, not you; your name and username reach it only through my own data "
        "(its /export), which /forget deletes. After /forget, or {days} days without contact, "
        "a request keeps only its reference, area, mentor city, format, group size, status and "
        "dates (filed, last changed): no name, city, period wanted or note. That is what the "
        "secretariat needs to honour an accepted visit, and it is kept as the network's record "
        "of study visits, with no time limit. Messages the secretariat already received in "
        "Telegram stay in its chat."
    ),
    "privacy_rights": (
        "/mydata sends you everything I store about you. /forget deletes it: your self-checks "
        "are removed and your study-visit requests kept only as said above."
    ),
    "privacy_consent_mentor": "Proposed as a mentor city from your self-check strengths: {value}",
    "privacy_consent_results": "Self-check results shared with the ICC secretariat: {value}",
    "consent_given": "yes",
    "consent_refused": "no",
    "consent_not_asked": "not asked yet",
    "btn_consent_mentor_yes": "Mentor: yes",
    "btn_consent_mentor_no": "Mentor: no",
    "btn_consent_results_yes": "Share results: yes",
    "btn_consent_results_no": "Share results: no",
    "btn_yes": "Yes",
    "btn_no": "No",
    "consent_ask_m": (
        "One question, asked once: where your self-check shows a strong area, may the ICC "
        "secretariat propose your city as a mentor to other cities? You can change this in "
        "/privacy."
    ),
    "consent_ask_r": (
        "And may the ICC secretariat see your self-check results (by city, not by name) to "
        "suggest joint study visits and in its exports, and may they count in the average of "
        "member cities other officers see (only within an average of at least 5 cities, never "
        "alone)? You can change this in /privacy."
    ),
    "consent_saved": "Saved",
    "consent_saved_m_1": "Thank you: your city can be proposed as a mentor in its strong areas.",
    "consent_saved_m_0": "Noted: your city will not be proposed as a mentor from your self-checks.",
    "consent_saved_r_1": (
        "Thank you: the secretariat may use your self-check results, and they count in the "
        "member cities' average."
    ),
    "consent_saved_r_0": "Noted: your self-check results stay private.",
    "mydata_intro": "Here is everything I store about you.",
    "mydata_caption": "Your data in the ICC Policy Assistant (JSON)",
    "forget_confirm": (
        "<b>Delete your data?</b>\n"
        "Your profile, self-check answers and results are deleted; your study-visit requests "
        "keep only their reference, area, mentor city, format, group size, status and dates, "
        "for the network's records (no name, city, period or note); your questions stay only "
        "as anonymous statistics. This cannot be undone."
    ),
    "btn_forget_yes": "Yes, delete my data",
    "btn_forget_no": "No, keep it",
    "forget_done": "Your data has been deleted. If you write again, I will start afresh.",
    "forget_done_toast": "Deleted",
    "forget_kept": "Nothing was deleted.",
    **SECRETARIAT_TEXTS,
}
