"""English texts of study visits, the secretariat's tools and corpus curation (part of the
`en` catalog, kept apart to keep each module readable)."""

TEXTS: dict[str, str] = {
    # study visits
    "visit_intro": (
        "<b>Study visit</b>\nThe ICC secretariat arranges study visits between member cities. "
        "I will ask for the area, a mentor city, the format, a period, the group size and a "
        "short note."
    ),
    "visit_choose_area": "Which area is the visit about?",
    "visit_unknown_area": "I do not know the area “{text}”. Choose one:",
    "visit_heading": "<b>Study visit: {area}</b>",
    "visit_mentors_intro": "Suggested mentor cities, and why:",
    "visit_candidate_line": (
        "• <b>{city}</b> ({country}): strong in this area in its own self-check "
        "(estimated {score}/100, not an official result)"
    ),
    "visit_no_mentor": (
        "No mentor city is documented for this area yet: the secretariat can choose."
    ),
    "visit_choose_mentor": "Pick a city to visit, or let the secretariat choose.",
    "btn_secretariat_chooses": "Let the secretariat choose",
    "btn_visit_cancel": "Cancel",
    "btn_visit_confirm": "Send the request",
    "btn_no_note": "No note",
    "visit_ask_format": "On site or online?",
    "visit_format_onsite": "On site",
    "visit_format_online": "Online",
    "visit_ask_period": "When would suit you? Pick one, or type it (e.g. <i>May 2027</i>).",
    "visit_period_3m": "Within 3 months",
    "visit_period_6m": "Within 6 months",
    "visit_period_12m": "Within a year",
    "visit_period_flex": "Flexible",
    "visit_period_too_long": "Please describe the period in at most {limit} characters.",
    "visit_ask_group": "How many people would take part? Pick one, or type a number up to {limit}.",
    "visit_group_hint": "Please type a number of people from 1 to {limit}, or pick one.",
    "visit_ask_note": (
        "A short note for the secretariat (what you want to learn, constraints), at most {limit} "
        "characters. Or press <b>No note</b>."
    ),
    "visit_note_too_long": "Please keep the note under {limit} characters.",
    "visit_confirm_heading": "<b>Your study-visit request</b>",
    "visit_field_city": "City: {value}",
    "visit_field_area": "Area: {value}",
    "visit_field_mentor": "Mentor city: {value}",
    "visit_field_format": "Format: {value}",
    "visit_field_period": "Period: {value}",
    "visit_field_group": "Group size: {value}",
    "visit_field_note": "Note: {value}",
    "visit_field_status": "Status: <b>{value}</b>",
    "visit_any_mentor": "chosen by the secretariat",
    "visit_no_city": "no member city given",
    "visit_city_forgotten": "removed with the officer's personal data",
    "visit_cancelled": "The study-visit request was cancelled; nothing was sent.",
    "visit_submitted": (
        "✓ Request <b>{reference}</b> sent to the ICC secretariat. I will tell you here when its "
        "status changes; /myrequests lists your requests."
    ),
    "visit_stored_unrouted": (
        "Request <b>{reference}</b> is saved, but no one at the ICC secretariat is set up to "
        "receive requests yet, so it has not reached anyone. /myrequests lists your requests; "
        "please also write to the secretariat directly."
    ),
    "visit_sent_toast": "Request sent",
    "visit_details_heading": "<b>Study-visit request {reference}</b>",
    "visit_request_line": "• <b>{reference}</b> {area}, {mentor}: {status} ({date})",
    "visit_status_new": "new",
    "visit_status_forwarded": "forwarded",
    "visit_status_accepted": "accepted",
    "visit_status_declined": "declined",
    "visit_status_done": "done",
    "visit_now_forwarded": "Your study-visit request <b>{reference}</b> was forwarded to the host.",
    "visit_now_accepted": "Good news: your study-visit request <b>{reference}</b> was accepted.",
    "visit_now_declined": (
        "Your study-visit request <b>{reference}</b> was declined. The secretariat can suggest "
        "another city: reply with /visit."
    ),
    "visit_now_done": "Your study visit <b>{reference}</b> is marked as done. Thank you!",
    "visit_now_new": "Your study-visit request <b>{reference}</b> is new again.",
    "myrequests_heading": "<b>Your study-visit requests</b>",
    "myrequests_none": "You have no study-visit request yet. Start one with /visit.",
    # the secretariat
    "admin_only": "Sorry, this command is for the ICC secretariat only.",
    "admin_new_request": (
        "<b>New study-visit request</b> (the officer's name and username are in /export while "
        "they keep their data)"
    ),
    "admin_also_weak": "Other cities working on this area (joint visit?): {cities}",
    "btn_status_forwarded": "Forward",
    "btn_status_accepted": "Accept",
    "btn_status_declined": "Decline",
    "btn_status_done": "Mark done",
    "admin_status_set": "Status: {status}",
    "admin_no_requests": "No request matches.",
    "admin_requests_heading": "<b>Study-visit requests</b> (latest {count})",
    "admin_unknown_filter": (
        "I do not know the status or area “{text}”. Use new, forwarded, accepted, declined, "
        "done, or an area name."
    ),
    "admin_export_requests": "All study-visit requests (CSV).",
    "admin_export_results": (
        "Latest self-check results of the {count} officers who consented (CSV)."
    ),
    "admin_export_no_results": "No officer has consented to share self-check results yet.",
    "stats_heading": "<b>Statistics, last {days} days</b>",
    "stats_questions": "Questions: {count}, answered from the documents: {share}%",
    "stats_day": "• {day}: {count} ({answered} answered)",
    "stats_feedback": "Feedback: {helpful} helpful, {unhelpful} not helpful",
    "stats_unanswered_heading": "Most frequent unanswered questions:",
    "stats_unanswered_line": "• {count}× {text}",
    "stats_none": "• none",
    "stats_selfchecks": "Self-checks completed: {count}",
    "stats_requests_heading": "Study-visit requests by area (all time):",
    "stats_area_line": "• {area}: {count}",
    "stats_peers_heading": (
        "<b>Member cities' self-assessments by area</b> (latest shared self-check of each city, "
        "model {version}; an average is shown from {min} cities):"
    ),
    "stats_peers_line": "• {area}: {parts}",
    "stats_peers_shown": "{scope} {average} ({count} cities)",
    "stats_peers_few": "{scope}: {count}/{min} cities, not shown",
    "stats_peers_no_city": "0/{min} cities, not shown",
    "stats_peers_nobody": "• no member city has shared a self-check with this model yet",
    "stats_peers_scope_area": "one-area check",
    # corpus curation
    "upload_refused": "I did not index <b>{name}</b>: {reason}. The index is unchanged.",
    "upload_bad_type": "{suffix} files are not accepted (send PDF, DOCX, HTML or Markdown)",
    "upload_too_big": "the file is larger than {limit} MB",
    "upload_empty": "the file is empty",
    "upload_not_really": "the file is not a real {suffix} file",
    "upload_added": "✓ <b>{name}</b> indexed{pages}: {passages} added.",
    "upload_pages": " ({pages})",
    "upload_updated": ("✓ <b>{name}</b> replaced its earlier version{pages}: {passages}."),
    "upload_original_of": (
        "It is the original of our digest <i>{digest}</i>: its passages now come first for "
        "that document, and answers quote it instead of the digest."
    ),
    "upload_unchanged": "<b>{name}</b> is already indexed, unchanged.",
    # why a file was refused (retrieval.errors.Reason), after "I did not index <b>x</b>: "
    "doc_unsupported_type": "{suffix} files are not accepted",
    "doc_unreadable": "the file cannot be read",
    "doc_empty": "the file is empty",
    "doc_no_text": "no text could be extracted from it",
    "doc_binary": "this is a binary file, not text",
    "doc_not_utf8": "the text is not valid UTF-8; save it as UTF-8 and send it again",
    "doc_bad_front_matter": "its front matter (the header between ---) is not valid YAML",
    "doc_too_big": "the file is larger than the {limit} MB limit",
    "doc_too_many_pages": "the document has more than {limit} pages; send it in parts",
    "doc_pdf_password": "the PDF is password-protected; upload an unprotected copy",
    "doc_pdf_encryption": "the PDF uses an encryption I cannot open; upload an unprotected copy",
    "doc_pdf_damaged": "the PDF is damaged and cannot be read",
    "doc_pdf_scan": "the PDF has no text layer (a scan?); send a text PDF",
    "doc_pdf_unpacked": "the PDF unpacks to more data than allowed (damaged or hostile)",
    "doc_docx_damaged": "not a readable DOCX file: the zip package is damaged",
    "doc_docx_password": "the DOCX is password-protected; upload an unprotected copy",
    "doc_docx_old_format": "this is an old Word (.doc) file; save it as .docx and send it again",
    "doc_docx_not_word": "not a readable DOCX file: it holds no Word document",
    "doc_docx_broken_xml": "not a readable DOCX file: its XML is broken (save it again in Word)",
    "doc_zip_unpacked": "the DOCX unpacks to more than {limit} MB",
    "doc_zip_entries": "the DOCX holds {count} files, more than the {limit} allowed",
    "doc_zip_ratio": "the DOCX part {part} is compressed suspiciously tightly (a zip bomb?)",
    "doc_zip_method": "the DOCX uses a compression Word never writes ({method})",
    "scores_refused": "I did not load <b>{name}</b>: {reason}",
    "scores_loaded": "✓ {count} official area scores loaded for {cities} cities: {names}.",
    "documents_none": "No document is indexed.",
    "documents_heading": "<b>Indexed documents</b> ({count})",
    "documents_line": "• {title} — <code>{doc_id}</code>{pages}, {passages}",
    "documents_pages": ", {pages}",
    "pages_one": "{n} page",
    "pages_other": "{n} pages",
    "passages_one": "{n} passage",
    "passages_other": "{n} passages",
    "documents_more": "… and {count} more.",
    "documents_hint": "Send a file to add one; /remove &lt;id&gt; takes one out.",
    "remove_usage": "Usage: /remove &lt;document id&gt; (see /documents).",
    "remove_unknown": "No indexed document has the id “{doc_id}”. See /documents.",
    "remove_done": "Removed <code>{doc_id}</code>: {passages} taken out of the index.",
    "months": (
        "January,February,March,April,May,June,July,August,September,October,November,December"
    ),
}
