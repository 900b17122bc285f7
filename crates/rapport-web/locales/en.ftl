# Rapport staff console — English.
# Every message here has its twin in zh-CN.ftl (a unit test checks it).

nav-label = Main
nav-dashboard = Dashboard
nav-arrivals = Arrivals
search-label = Find a guest
search-placeholder = Name, phone, email or id
search-shortcut = Press / to search
search-title = Guests
search-help = Type a name in any script, pinyin, a phone number in any format, an email or an id.
search-none = No guest found
search-found = { $count ->
    [one] One guest found
   *[other] { $n } guests found
}
search-found-more = More than { $n } guests found
search-showing = showing the first { $n }
logout = Sign out
language = Language

login-title = Sign in
login-intro = Staff console of the hotel group.
login-user = Login
login-password = Password
login-submit = Sign in
login-failed = Wrong login or password.
login-throttled = Too many failed attempts. Try again in { $minutes } minutes.

role-front-desk = Front desk
role-guest-relations = Guest relations
role-marketing = Marketing
role-manager = Manager
role-admin = Administrator

error-title = Something went wrong
error-title-not-found = Not found
error-title-forbidden = Not allowed
error-title-signed-out = Signed out
error-not-found = There is nothing here, or it is outside the hotels you can see.
error-forbidden = Your role does not allow this.
error-csrf = This form has expired or did not come from Rapport. Reload the page and try again.
error-signed-out = Your session has ended. Please sign in again.
error-conflict = Someone changed this at the same time. Reload and try again.
error-merged = This profile was merged into another one. Open the surviving profile and try again.
error-internal = The server could not complete this. It has been logged.
error-form-too-large = The form is too large.
error-language = Unknown language.
error-home = Back to the dashboard

hotel = Hotel
date = Date
show = Show
print = Print
save = Save
cancel = Cancel
today = today
in-days = { $count ->
    [one] tomorrow
   *[other] in { $n } days
}
previous-day = Previous day
next-day = Next day

dashboard-group = Whole group
dashboard-guests = Guests
dashboard-stays = Stays
dashboard-returning = Returning guests
dashboard-revenue = Revenue
dashboard-revenue-by-month = Revenue by month
dashboard-chart-title = { $hotel }: revenue by month
dashboard-as-of = Figures as of { $when } (UTC), refreshed every few minutes.

guest-edit = Edit profile
guest-saved = Profile saved.
guest-warnings = Allergies and taboos
guest-identity = Identity and contacts
guest-contacts = Contacts
guest-family = Family
guest-no-family = No family members recorded.
guest-preferences = Preferences
guest-no-preferences = No preferences recorded.
guest-consents = Consent
guest-stays = Stays
guest-no-stays = No stays at the hotels you can see.
guest-spend = Spend by category
guest-no-spend = No spend at the hotels you can see.
guest-notes = Notes
guest-no-notes = No notes yet.
guest-conflict = A colleague saved this profile while you were editing it; your changes were not stored.
guest-reload = Load their version
form-has-errors = Some fields need attention; nothing was saved.

vip-code = VIP code
fact-birthday = Birthday
fact-anniversary = Wedding anniversary
fact-language = Language
fact-nationality = Nationality
fact-company = Company
fact-external-ids = Ids in other systems
fact-member-since = Profile since
age-years = { $count ->
    [one] { $n } year
   *[other] { $n } years
}
contact-email = Email
contact-phone = Phone
contact-address = Address
contact-unverified = not a valid address or number; kept as entered
family-name = Name
family-relation = Relation

field-title = Title
field-given = Given name
field-family = Family name
field-native = Name in own script
field-tags = Tags (comma separated)
field-emails = Emails (one per line)
field-phones = Phones (one per line)
field-street = Street
field-postcode = Postcode
field-city = City
field-region = Region
field-country = Country
field-preferences = Preferences
field-preferences-help = One per line: room, food or service, then what = value. Example: room: floor = high
field-taboos = Allergies and taboos
field-taboos-help = One per line: allergy, taboo or dislike, then what. Example: allergy: peanuts
field-family-help = One per line: name; relation; birthday (YYYY-MM-DD). Example: Lily; daughter; 2018-11-25

invalid-date = Not a date; write it as YYYY-MM-DD.
invalid-field = This value is not accepted.
invalid-card = This looks like a payment card number; card data is never stored.
invalid-name = A guest needs a given, family or native-script name (at most 100 characters each).
invalid-language = Not a language code such as en or zh-CN.
invalid-country = Not a country code such as CN or GB.
invalid-birthday = A birthday cannot be in the future.
invalid-email = Not a valid email address.
invalid-phone = Not a valid phone number.
invalid-family = Each family member needs a name, and a birthday not in the future.
invalid-preference = Write each preference as: room|food|service: what = value.
invalid-taboo = Write each one as: allergy|taboo|dislike: what.

pref-room = Room
pref-food = Food
pref-service = Service
taboo-allergy = Allergy
taboo-taboo = Taboo
taboo-dislike = Dislikes

status-booked = booked
status-in-house = in house
status-checked-out = checked out
status-cancelled = cancelled
status-no-show = no-show
stays-count = { $count ->
    [one] { $n } stay
   *[other] { $n } stays
}
nights-count = { $count ->
    [one] { $n } night
   *[other] { $n } nights
}
adults-count = { $count ->
    [one] { $n } adult
   *[other] { $n } adults
}
children-count = { $count ->
    [one] { $n } child
   *[other] { $n } children
}
stay-requests = Requests

spend-room = Room
spend-food-beverage = Food and beverage
spend-spa = Spa
spend-laundry = Laundry
spend-minibar = Minibar
spend-other = Other

channel-email = Email
channel-sms = SMS
channel-phone = Phone
channel-post = Post
channel-wechat = WeChat
consent-granted = agreed
consent-refused = refused
consent-unknown = not asked

note-new = New note
note-about = About
note-about-guest = The guest in general
note-add = Add note
note-invalid = A note needs 1 to 4,000 characters.
note-nul = A note cannot hold a NUL character (an invisible control character some programs paste); it was removed from the text below.
note-merged = The profile you were writing in was merged into this one meanwhile; your note was not saved. Check it and add it here.

occasion-birthday-guest = Birthday
occasion-anniversary = Wedding anniversary
occasion-birthday-of = Birthday of { $name }
occasion-birthday-turns = { $count ->
    [one] Birthday: turns { $n }
   *[other] Birthday: turns { $n }
}
occasion-anniversary-years = { $count ->
    [one] Wedding anniversary: { $n } year
   *[other] Wedding anniversary: { $n } years
}

arrivals-title = Arrivals brief
arrivals-none = No arrivals on this day.
arrivals-count = { $count ->
    [one] One arrival
   *[other] { $n } arrivals
}
returning-guest = Returning guest: { $detail }
first-stay = First stay with us
earlier-stays = { $count ->
    [one] { $n } earlier stay
   *[other] { $n } earlier stays
}
last-visit = last visit { $when }
earlier-notes = Staff notes
touch-allergy = Allergy
touch-taboo = Taboo
touch-dislike = Dislikes
touch-room-preference = Room
touch-food-preference = Food
touch-service-preference = Service
touch-birthday = Birthday
touch-anniversary = Anniversary
touch-special-request = Request

guest-value = Value
guest-no-value = Not analysed yet (the value analysis runs every night, or with `rapport analyze`).
value-scope = Where
value-tier = Tier
value-rfm = RFM segment
value-p-alive = Still active
value-expected-stays = Stays next year
value-lifetime = Lifetime value
value-churn = Churn risk
value-tier-history = Tier history
tier-vip = VIP
tier-major = Major
tier-ordinary = Ordinary
tier-small = Small
rfm-champions = Champions
rfm-loyal = Loyal
rfm-cannot-lose = Cannot lose
rfm-at-risk = At risk
rfm-new-or-promising = New or promising
rfm-needs-attention = Needs attention
rfm-lapsed = Lapsed
churn-low = low
churn-medium = medium
churn-high = high

## Guest value page
nav-value = Guest value
value-none-yet = No value analysis yet. It runs every night at 02:00 UTC, or now with `rapport analyze`.
value-as-of = Analysis as of { $when }
value-pareto = Revenue concentration (80/20)
value-window = Window
value-window-all = All history
value-window-years = { $count ->
    [one] Last year
   *[other] Last { $n } years
}
value-window-days = Last { $n } days
value-lorenz = Lorenz curve: share of guests (smallest first) against share of revenue
value-top-k-mark = top { $k }%
value-top-20 = Top 20% bring
value-gini = Gini coefficient
value-top-k-label = Share of revenue from the top %
value-show = Show
value-tiers = Value tiers
value-guest-share = Share of guests
value-revenue-share = Share of revenue
value-profiles = What each group of guests is like
value-segment = Segment
value-nights = Nights per stay
value-adr = Average daily rate
value-lead = Days booked ahead
value-channel = Main channel
value-market = Main market segment
value-room = Main room type
value-extras = Spend beyond the room
value-requests = Special requests
value-peak = Busiest month
value-returning = Returning
value-not-recorded = not recorded
value-cohorts = Retention by first-stay quarter
value-cohorts-help = Each row: guests whose first stay fell in that quarter; each column: the share who stayed again that many quarters later.
value-first-stay = First stay
value-quarter = { $quarter }
value-at-risk = Valuable guests at risk
value-at-risk-help = VIP and major guests whom the model gives a high churn risk, or whose RFM scores show they have stopped coming; most revenue first.
value-at-risk-none = No valuable guest is at risk.
value-guest = Guest
value-last-stay = Last stay
value-fit = Model fit
value-holdout = Over the last { $weeks } weeks the model predicted { $predicted } repeat stays; { $actual } happened.
value-no-model = No lifetime-value model for this scope: { $reason }
value-left-out = Left out of the group figures for want of an exchange rate: { $hotels }
value-window-guests = Guests in the window
benefits = Benefits
benefit-discount = { $percent }% off the best available rate
benefit-gift = Gift: { $gift }
benefit-upgrade = Upgrade: { $upgrade }
benefit-late-checkout = Late check-out until { $time }
benefit-credit = Credit: { $terms }
# Duplicate profiles: the review queue and the merge history.
nav-duplicates = Duplicates
duplicates-title = Possible duplicates
duplicates-intro = Pairs of profiles that may be the same person. Compare them and decide; the newer profile is merged into the older one.
duplicates-empty = No pairs are waiting for review.
duplicates-showing = Showing { $from }–{ $to } of { $total }
duplicates-probability = Match probability
duplicates-weight = Score
duplicates-postponed = Postponed
duplicates-evidence = Evidence
duplicates-done-merge = The profiles were merged.
duplicates-done-distinct = Marked as different people: they will never be merged.
duplicates-done-later = Postponed: the pair stays at the end of the queue.
compare-name = Name
evidence-field = Field
evidence-outcome = Outcome
evidence-weight = Weight
evidence-detail = Compared
evidence-field-name = Name
evidence-field-given-name = Given name
evidence-field-family-name = Family name
evidence-field-birth-date = Birth date
evidence-field-email = Email
evidence-field-phone = Phone
evidence-field-address = Address
evidence-field-city = City
evidence-field-postcode = Postcode
evidence-field-country = Country
evidence-field-company = Company
evidence-field-id-document = ID document
outcome-agreed = agrees
outcome-partial = partly agrees
outcome-disagreed = disagrees
outcome-missing = missing
decide-merge = Merge
decide-distinct = Not the same person
decide-later = Decide later
page-previous = Previous
page-next = Next
guest-merges = Merge history
merge-absorbed = Profile #{ $id } was merged into this one
merge-into = This profile was merged into #{ $id }
merge-auto = automatic
merge-reason = Reason
merge-undo = Undo merge
merge-undone = Undone
guest-merged-notice = Profile #{ $id } was merged into this one; you are looking at the surviving profile.
guest-undone-notice = The merge was undone: profile #{ $id } is separate again.
fact-aliases = Also known as
fact-alternatives = Other values from merged profiles
