# Samordna – English (second locale)

site-name = Samordna
skip-link = Skip to content
nav-label = Main menu
nav-register = Register
nav-cases = Cases
language-switch = Svenska
language-switch-label = Läs på svenska
breadcrumbs = Breadcrumbs
footer-about = Samordna – register of the region-wide governance groups of Västra Götalandsregionen.
footer-open-data = Open data (JSON)
footer-accessibility = Accessibility statement
back-to-register = Back to the register of groups

error-not-found = Page not found
error-bad-request = Bad address
error-unavailable = Temporarily unavailable
error-internal = Something went wrong
error-not-found-page = There is no page at this address. It may have moved, or the address may be misspelt.
error-no-group = There is no group at the address { $slug }.
error-no-version = There is no version { $version } of the terms of reference.
error-no-case = There is no case with registry number { $slug }.
error-unavailable-text = The service is temporarily unavailable. Please try again shortly.
error-internal-text = An unexpected error occurred. It has been logged.

register-title = Register of groups
register-heading = Register of region-wide governance groups
register-lead = Coordination councils and the groups that report to them, showing whether their terms of reference are decided and in force. The register is updated when terms of reference are decided or imported.
register-summary = { $councils } coordination councils and { $groups ->
    [one] 1 group
   *[other] { $groups } groups
} under them.
register-councils = Coordination councils and their groups
register-empty = The register is empty. Import terms of reference with samordna import.
register-others = Other bodies the terms of reference refer to
tree-children = { $count ->
    [one] 1 group under { $name }
   *[other] { $count } groups under { $name }
}

kind-samordningsrad = Coordination council
kind-samordningsgrupp = Coordination group
kind-regionalt_processteam = Regional process team
kind-undergrupp = Subgroup
kind-ledningsgrupp = Management group
kind-forvaltning = Administration
kind-other = Other body
status-active = Active
status-dissolved = Dissolved

charter-in-force = Terms of reference in force, decided { $date }
charter-in-force-draft = Terms of reference in force, decided { $date }; an undecided revision exists
charter-undecided = No decided terms of reference in force
charter-missing = No terms of reference in the register

frequency-range = { $min }–{ $max } meetings a year
frequency-exact = { $count } meetings a year
frequency-min = at least { $min } meetings a year
frequency-max = at most { $max } meetings a year
frequency-none = not stated
frequency-digital = { $range }, online when possible

group-placeholder = This group is in the register because other terms of reference mention it. Its own terms of reference have not been imported.
group-about = About the group
group-kind = Kind
group-area = Area of responsibility
group-status = Status
group-reports-to = Reports to
group-reports-to-none = No group stated
group-frequency = Meeting frequency
group-children = Groups under { $name }
group-liaisons = Works with
group-liaison-of = Named as a partner by
group-aliases = Other names in documents
group-purpose = Purpose
group-duties = Duties
group-content-in-force = Purpose and duties from the terms of reference in force (version { $version }).
group-content-undecided = Purpose and duties from the undecided terms of reference (version { $version }).
group-charters = Terms of reference
group-no-charters = There are no terms of reference in the register.
group-versions-caption = Versions of the terms of reference of { $name }
col-version = Version
col-document = Document
col-date = Date
col-decision = Decision
col-group = Group
decision-decided = Decided { $date }
decision-undecided = Not decided

charter-version-crumb = Version { $version }
charter-undecided-notice = Not decided.
charter-undecided-text = The decision date is missing – this document is not in force.
charter-superseded = This version is no longer in force.
charter-read-in-force = Read the version in force
charter-kind = Document type
charter-group = Group
charter-registry-number = Registry number
charter-date = Date
charter-revision = Revision
charter-status = Decision status
charter-decision-date = Decision date
charter-decision-pending = (to be filled in by the decision maker on approval)
charter-decided-by = Decided by
charter-issuing-unit = Issued by
charter-case-officer = Case officer
charter-phone = tel. { $phone }
charter-responsibility = Area of responsibility
charter-commissioner = Commissioned by
charter-assignee = Assigned to
charter-references = References
charter-version = Version
charter-version-of = { $version } of { $count }
charter-source = Source
charter-source-as-imported = as imported { $date }
charter-document = The document
charter-decision = Decision
charter-decision-line = Date of decision: { $date }
charter-distribution = Sent to
doc-kind-uppdragshandling = Terms of reference
doc-kind-verkstallighetsbeslut = Executive decision
doc-status-decided = Decided
doc-status-undecided = Not decided

cases-title = Cases
cases-lead = Registry numbers that the terms of reference in the register belong to.
cases-empty = There are no cases in the register.
cases-documents = { $count ->
    [one] 1 document
   *[other] { $count } documents
}
case-title = Case { $number }
case-summary = Registry number { $number }: { $count ->
    [one] 1 document
   *[other] { $count } documents
} in the register.
case-caption = Documents in case { $number }

a11y-title = Accessibility statement
a11y-intro = Västra Götalandsregionen is responsible for this website. We want as many people as possible to be able to use it. This statement describes how Samordna complies with the Swedish Act (2018:1937) on accessibility to digital public services, any known accessibility problems, and how you can report problems to us so that we can fix them.
a11y-status-heading = How accessible is the website?
a11y-status = We consider the website fully compliant with the Act on accessibility to digital public services. It meets WCAG 2.1 level AA.
a11y-help-heading = What can you do if you cannot use parts of the website?
a11y-help = If you need content from Samordna in another format, for example terms of reference as easy-to-read text or read aloud, contact the register keeper at Koncernkontoret at { $email }. Each document's page also offers its source file as plain text.
a11y-report-heading = Report accessibility problems
a11y-report = We are always working to improve the accessibility of the website. If you find problems not described on this page, or think we do not meet the requirements of the law, let us know so that we learn of the problem.
a11y-report-link = Send e-mail to { $email }
a11y-supervision-heading = Supervision
a11y-supervision = The Agency for Digital Government (DIGG) supervises the Act on accessibility to digital public services. If you are not satisfied with how we handle your comments, you can contact DIGG.
a11y-supervision-link = Report to DIGG (digg.se)
a11y-technical-heading = Technical information about the website's accessibility
a11y-technical = The pages work without JavaScript and have a skip link, landmarks, headings in order, visible keyboard focus, and can be zoomed to 200 per cent without loss of content. The interface is in Swedish and English; the terms of reference themselves are in Swedish.
a11y-testing-heading = How we tested the website
a11y-testing = Every page type is tested automatically on every change in a real browser with axe-core against WCAG 2.0 and 2.1 levels A and AA, in both languages, and with the keyboard and at 200 per cent zoom. This statement was last updated on { $date }.

error-forbidden = Not permitted
error-conflict = Could not save
error-too-many = Too many attempts
error-too-many-text = Too many failed sign-ins. Wait a while and try again.
error-too-large = Too large
error-too-large-text = What was sent is too large.

nav-sign-in = Sign in
nav-sign-out = Sign out
form-has-errors = The form has errors to correct
form-required = required
form-cancel = Cancel
form-save = Save
list-empty = Nothing to show.
col-name = Name
col-role = Role
col-on-behalf-of = For administration
col-since = Since
col-actions = Actions

sign-in-title = Sign in
sign-in-intro = Sign in with your Samordna account.
sign-in-email = E-mail address
sign-in-password = Password
sign-in-submit = Sign in
sign-in-failed = Wrong e-mail address or password.
sign-in-oidc = Sign in with the region's account
sign-in-oidc-failed = The sign-in with the region's account could not be verified. Please try again.
sign-in-no-account = There is no Samordna account for { $email }. Contact the register keeper.

account-title = My account
account-email = E-mail address
account-role = System role
account-role-none = Reader (roles in groups follow from memberships)
account-role-admin = Administrator (register keeper)
account-role-director = Director
account-tokens = API keys
account-tokens-intro = An API key gives a program the same rights as your account in the JSON API. The key is shown once only; it can be revoked at any time.
account-token-name = Name of the key
account-token-create = Create API key
account-token-created = Your new API key. Copy it now; it will not be shown again.
account-token-revoked = revoked
account-token-revoke = Revoke { $name }

group-edit = Edit the group
group-members = Members
group-new = New group
group-edit-title = Edit { $name }
field-name = Name
field-short-name = Short name
field-kind = Kind
field-area = Area of responsibility
field-reports-to = Reports to
field-reports-to-none = (none)
field-status = Status
field-status-hint = Only the director can establish or dissolve a group.
field-aliases = Other names
field-aliases-hint = One name per line: names that documents use, misspellings too.
field-liaisons = Works with
field-title = Title
field-email = E-mail address
field-phone = Phone
field-administration = Administration
field-administration-none = (none)
field-person = Person
field-role = Role
field-on-behalf-of = For administration
field-voting-right = Voting right
field-appointed-by = Appointed by
field-start-date = From
field-end-date = Until
field-end-date-hint = Fill in to end the membership; its history is kept.
error-required = Fill in { $field }.
error-date = Write the date as YYYY-MM-DD, for example 2026-01-31.
error-end-before-start = The end date cannot be before the start date.
error-email = Write an e-mail address like name@example.org.
error-unknown-choice = Choose one of the options.
error-status-director = Only the director can change the status.

role-ordforande = Chair
role-vice_ordforande = Vice chair
role-deltagare = Member
role-adjungerad = Adjunct
role-koordinator = Coordinator
role-kontaktperson = Contact person
role-sekreterare = Secretary

members-title = Members of { $name }
members-crumb = Members
members-add = Add a member
members-none = The group has no current members in the register.
members-current = Current members
members-former = { $count ->
    [one] 1 former member
   *[other] { $count } former members
}
members-edit = Change { $name }
membership-new-title = New member of { $name }
membership-edit-title = Membership of { $name }

people-title = People
people-add = Add a person
person-new-title = New person
person-edit-title = Edit { $name }
administrations-title = Administrations
administrations-add = Add an administration
administration-new-title = New administration
administration-edit-title = Edit { $name }

conflict-title = Someone else has saved changes
conflict-text = { $what } was changed by someone else while you were editing. Your changes were not saved. Compare, and reopen the form to make them again.
conflict-caption = Your details and the saved ones
conflict-field = Field
conflict-yours = Your version
conflict-saved = Saved version
conflict-reopen = Reopen the form with the saved version

audit-title = Audit log
audit-actor = Who
audit-action = Event
audit-object = Object
audit-from = From
audit-to = Until
audit-filter = Filter
audit-csv = Download as CSV
audit-caption = { $count } events
audit-when = When
audit-detail = Details

group-meetings = Meetings
meetings-title = Meetings of { $name }
meetings-crumb = Meetings
meetings-plan = Plan a meeting
meetings-none = No meetings are planned.
meetings-caption = Meetings of { $name }
meetings-frequency = According to the terms of reference: { $range }. This year { $count } ordinary meetings.
meetings-outside = The number of ordinary meetings this year ({ $count }) is outside the range of the terms of reference.
meetings-subscribe = Subscribe
meetings-ical = Calendar (iCalendar) for Outlook and other calendars
meetings-atom = New minutes (Atom feed)
meeting-title = Meeting { $date } – { $name }
meeting-kind = Kind
meeting-kind-ordinary = Ordinary meeting
meeting-kind-extra = Extra meeting
meeting-state = Status
meeting-state-planned = Planned
meeting-state-held = Held
meeting-state-cancelled = Cancelled
meeting-minutes = Minutes
meeting-time = Time
meeting-place = Place
meeting-link = Online link
meeting-link-members = The link is shown to the group's members.
meeting-edit = Change the meeting
meeting-cancelled = The meeting is cancelled.
meeting-cancel = Cancel the meeting
meeting-cancel-reason = Reason
meeting-cancel-submit = Cancel meeting
meeting-new-title = Plan a meeting of { $name }
meeting-edit-title = Change the meeting { $date }
field-date = Date
field-start-time = Start time
field-end-time = End time
field-place = Place
field-digital-link = Online link
error-time = Write the time as HH:MM, for example 09:30.
error-end-before-start-time = The end time cannot be before the start time.
agenda-title = Agenda
agenda-empty = The agenda is empty.
agenda-not-published = The agenda has not been published to the members yet.
agenda-members-only = The agenda is shown to the group's members until the meeting has been held.
agenda-add = Add an item to the agenda
agenda-item-title = Title
agenda-item-presenter = Presenter
agenda-item-minutes = Minutes
agenda-add-submit = Add item
agenda-publish = Publish the agenda to the members
minutes-title = Minutes
minutes-none = No minutes yet.
minutes-version = Version { $version }
minutes-status-draft = Draft
minutes-status-submitted = Awaiting approval by the chair
minutes-status-returned = Returned to the coordinator
minutes-status-approved = Approved { $date } by { $who }; not yet published
minutes-status-published = Approved { $date } by { $who } and published
minutes-correction = Correction: { $reason }
minutes-returned = The chair's comment: { $comment }
minutes-write = Write minutes
minutes-submit = Send to the chair for approval
minutes-approve = Approve the minutes
minutes-return = Return to the coordinator
minutes-return-comment = Comment for the coordinator
minutes-publish = Publish the minutes
minutes-correct = Correct approved minutes (new version)
minutes-correct-reason = Reason for the correction
minutes-correct-submit = Create corrected version
minutes-body = Minutes (Markdown)
minutes-body-hint = One heading per agenda item, for example "## 1. Opening of the meeting".
minutes-edit-title = Minutes of the meeting { $date }
minutes-short-draft = Draft
minutes-short-submitted = Awaiting approval
minutes-short-returned = Returned
minutes-short-approved = Approved
minutes-short-published = Published
group-minutes = Minutes
group-minutes-none = No published minutes yet.
group-minutes-item = Meeting { $date } (version { $version })
account-token-calendar = As a calendar link: an address of my groups' meetings to subscribe to in Outlook
attendance-title = Attendance
attendance-none = No attendance is recorded.
attendance-record = Record attendance
attendance-substitutes = Substitutes
attendance-guests = Guests
attendance-one-per-line = One name per line.
attendance-save = Save attendance
attendance-member = member
attendance-substitute = substitute
attendance-guest = guest
