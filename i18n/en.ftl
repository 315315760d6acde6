# ripplemap's words in English. Every message here has a twin in ko.ftl with the same
# variables (a test checks it). Leading and trailing spaces of a value are not kept:
# padding stays in the code.

## Hours, grades and counts

hours = { $n } h
days = { $n } d
path-more = … { $n } more …
horizon-within = within { $hours }
horizon-none = no horizon: the outage lasts
shown = shown:
shown-rows = { $rows } of { $total } { $count ->
    [one] row
   *[other] rows
} ({ $filters }): { $left } left out
shown-state = state { $list }
shown-grade = grade { $list }
shown-ungraded = ungraded
shown-agency = agency { $list }
shown-limit = limit { $n }
shown-rule = rule { $list }
shown-findings = Shown: { $shown } of { $total } { $total ->
    [one] finding
   *[other] findings
} ({ $filters }): { $left } left out
filter-no-match = No affected node matches the filter.
grade-word = grade { $grade }
grade-count = grade { $grade }: { $n }
ungraded-count = ungraded: { $n }
grade-short = g{ $grade } { $n }
none = none

## Inventory keywords

kw-system = system
kw-service = service
kw-site = site
kw-network = network
kw-external = external
kw-interface = interface
kw-hosting = hosting
kw-sync = sync
kw-async = async
kw-down = down
kw-degraded = degraded
kw-error = error
kw-warning = warning
kw-off = off

## Diagram captions

title-map = Interconnection map: { $nodes } nodes, { $links } links
title-around = Neighbourhood of { $id } within { $depth } { $depth ->
        [one] link
       *[other] links
    }
title-impact = Failure of { $what } ({ $horizon }): { $down } down, { $degraded } degraded
title-change = Change of { $what }: { $affected } affected, { $direct } direct
what-link = link { $id }
state-failed-at = failed at { $hours }
state-down-at = down at { $hours }
state-degraded-at = degraded at { $hours }
state-changed = changed
state-depth = depth { $depth }
state-load = { $load } of { $capacity } req/s ({ $percent }%)
state-load-no-capacity = { $load } req/s, no capacity
edge-changed = CHANGED
edge-failed = FAILED
edge-soft = soft
collapsed = { $n } more { $n ->
        [one] node
       *[other] nodes
    } not drawn
collapsed-affected = ({ $n } of them affected)
change-added = added
change-removed = removed
change-changed = changed

## Table columns

col-state = state
col-id = id
col-name = name
col-grade = grade
col-agency = agency
col-path = path
col-depth = depth

## impact and change

impact-title = Failure of
state-failed = FAILED
state-down = down
state-degraded = degraded
at-once = At once ({ $hours })
after-hours = After { $hours }
impact-nothing = Nothing is affected.
summary = Summary
summary-down = down:
summary-degraded = degraded:
summary-critical-down = most critical grade down: { $grade }
summary-agencies-affected = agencies affected ({ $n }): { $list }
change-title = Change of
change-direct = Direct consumers: notify and retest
change-transitive = Transitive consumers, by depth
change-nothing = Nothing depends on it.
summary-affected = affected:
summary-direct = direct:
summary-critical-affected = most critical grade affected: { $grade }
summary-agencies-notify = agencies to notify ({ $n }): { $list }
kw-node = node
kw-link = link
kw-group = group

## check

check-ok = ok
check-counts = { $path }: { $nodes } nodes, { $links } links, { $groups } groups, { $agencies } agencies
check-nodes-by-kind = nodes by kind:
check-nodes-by-grade = nodes by grade:
check-links-by-kind = links by kind:
check-links-by-mode = links by mode:
check-modes = { $counts } ({ $tolerant } with a tolerance, { $soft } soft)
check-groups = groups:
check-groups-count = { $groups } ({ $kofn } need more than one member)
check-load = load:
check-load-count = { $nodes } nodes with an outside load ({ $rate } requests/s in all), { $capacity } with a capacity; { $links } links carry load ({ $calls } with calls written)
col-site = site
col-hosts = hosts
col-only-here = only here
policy-totals = Policy: { $errors } { $errors ->
        [one] error
       *[other] errors
    }, { $warnings } { $warnings ->
        [one] warning
       *[other] warnings
    }
col-rule = rule
col-severity = severity
col-findings = findings
finding-nodes = nodes: { $list }
finding-links = links: { $list }
finding-at = at:    { $list }

## Policy findings: one line per rule (JSON and SARIF keep the English)

finding-grade-inversion = grade { $consumer_grade } `{ $consumer }` needs grade { $provider_grade } `{ $provider }` { $within } with no alternative (link `{ $link }`): it cannot be more available than its provider
finding-at-once = at once
finding-within = within { $duration }
finding-single-site = grade { $grade } `{ $node }` runs only while site { $sites } is up: no active-active alternative
finding-single-site-many = grade { $grade } `{ $node }` needs every one of sites { $sites } at once: each is a single point of failure
finding-false-redundancy = group `{ $group }` of `{ $consumer }` (needs { $need } of { $alternatives }) is lost when { $culprits } fails{ $upstream }: the alternatives share it
finding-need-any = any one
finding-need = { $min } of { $size }
finding-upstream-one = {" "}(and 1 other node whose failure loses it too)
finding-upstream-many = {" "}(and { $n } other nodes whose failure loses it too)
finding-sync-cycle = sync cycle { $path }: each needs the next at once with no alternative, so none can be restarted first{ $knot }
finding-knot = {" "}(one cycle of a knot of { $n } nodes)
finding-external-hard = grade 1 `{ $consumer }` stops when external `{ $provider }` fails (link `{ $link }`, tolerance { $tolerance }): no alternative
finding-async-zero-tolerance = async link `{ $link }` has no tolerance: `{ $consumer }` stops the moment `{ $provider }` fails, as with a sync link; write how long it copes
finding-orphan = { $kind } `{ $node }` has no links at all: nothing depends on it and it depends on nothing
finding-no-agency = { $kind } `{ $node }` has no agency: nobody to notify when it fails or changes
finding-no-capacity = { $kind } `{ $node }` receives { $rate } requests/s on a normal day but has no capacity: a surge cannot tell when it saturates
finding-list-one = { $item }
finding-list-or = { $init } or { $last }
finding-list-or-more = { $list } or { $n } more
finding-none = {""}

## Diagrams

legend = Legend
legend-changed = changed
legend-direct = direct consumer (depth 1): retest
legend-transitive = transitive consumer
legend-not-affected = not affected
legend-failed = failed (the scenario)
legend-down = down (hour shown)
legend-degraded = degraded (hour shown)
legend-unaffected = unaffected
legend-service = shared service
legend-site = site (data centre)
legend-grade = thick border = grade 1, medium = grade 2
    arrows run provider -> consumer:
    the way a failure travels
legend-async = async, tolerance
legend-soft = soft (degrades)
legend-alternatives = alternatives: k of n must hold
legend-group-sample = 1/2 group
legend-witness = witness path
legend-surge-path = path of the added load (against the arrows)
legend-saturated = saturated (load above capacity)
legend-load-80 = 80 % of capacity or more
legend-load-50 = 50 % or more
legend-load-below = below 50 %
legend-load-no-capacity = loaded, no capacity written
legend-no-load = no added load
mark-unaffected = unaffected
mark-failed = failed
mark-direct = direct
mark-saturated = saturated
mark-loaded = loaded
mark-transitive = transitive

## HTML report

html-intro = Inventory: { $nodes } nodes, { $links } links. The diagram draws { $drawn_nodes } nodes and { $drawn_links } links{ $more }.
html-more = ; { $n } more nodes are counted in dashed summary boxes
html-missing = The diagram is missing: Graphviz was not installed when this report was written
html-by-agency = Affected by agency
html-by-grade = Affected by grade
html-total = total
html-affected = Affected nodes
html-surge-loaded = Nodes with added load
html-recovery-title = Recovery timeline
html-recovery-text = If the failed systems must be restored: every node that went down is back once what it needs is back and its own <code>restore</code> work is done, with no crew limit (<code>ripplemap recover</code> has crews, targets and the whole table). All { $n } systems are back at { $time }.
col-systems = systems
col-all-back = all back
col-last-back = last back
col-breaches = breaches
col-load = load
html-changed-affected = Changed and affected nodes
col-hour = hour

## rank, scenarios, cuts, recover

rank-title = Criticality
rank-subtitle = of { $nodes } nodes by the grade-weighted count of what their failure alone takes down ({ $horizon })
rank-weights = weights: grade 1 = { $g1 }, 2 = { $g2 }, 3 = { $g3 }, 4 = { $g4 }, ungraded = { $ungraded }
rank-footer = { $spofs } single points of failure (a failure alone takes down a grade 1 system other than itself); { $shown } of { $nodes } nodes shown
col-rank = #
col-score = score
col-down = down
col-by-grade = by grade
col-degraded = degraded
col-most-critical-down = most critical down
col-spof = SPOF
scenarios-title = Scenarios:
scenarios-subtitle = { $sweep }: { $n } scenarios ({ $horizon })
col-scenario = scenario
col-failed = failed
col-only-together = only together
scenarios-only-together = `only together`: nodes that neither site of the pair takes down alone (active-active on both).
cuts-title = Minimal cuts of
cuts-subtitle = { $target } ({ $name }{ $grade }): sets of at most { $max } nodes whose joint failure takes it down
cuts-ancestors = { $n } ancestors can contribute
cuts-none = No set of at most { $n } nodes takes it down: it survives any { $n } independent failures.
col-size = size
col-nodes = nodes
cuts-listed = {" "}({ $n } listed: --limit)
cuts-found = { $n } minimal { $n ->
        [one] cut
       *[other] cuts
    }
cuts-found-at-least = at least { $n } minimal { $n ->
        [one] cut
       *[other] cuts
    }
cuts-footer = { $count }{ $listed }; the smallest has { $smallest } { $smallest ->
        [one] node
       *[other] nodes
    }{ $end }
cuts-spof = : it has a single point of failure.
cuts-survives = : it survives any { $n } independent { $n ->
        [one] failure
       *[other] failures
    }.
cuts-stop-count = counting stops at { $n } cuts ({ $factor } times --limit)
cuts-stop-candidates = too many candidate sets beyond it
cuts-stopped = The search stopped after size { $size }: { $why }.
recover-title = Recovery timeline
recover-subtitle = after the failure of { $failed } ({ $horizon }): { $systems } systems in { $waves } waves, { $crews }
failed-items-many = { $n } nodes ({ $list }, … and { $more } more)
crews-no-limit = no crew limit
crews-count = { $n } { $n ->
        [one] crew
       *[other] crews
    }
ungraded = ungraded
col-down-at = down
col-start = start
col-work = work
col-restored-with = restored with
recover-failed-id = { $id } (failed)
recover-target-missed = MISSED { $target }
recover-target-met = met { $target }
recover-cycles = { $n } dependency { $n ->
        [one] cycle
       *[other] cycles
    } restored together (marked `cycle`).
recover-cycle-list = cycle { $n } ({ $size } systems): { $list }
recover-cycle-below = cycle { $n } ({ $size } systems, listed below)
recover-cycle-with = cycle: { $list }
recover-by-grade = By grade
recover-all-back = All { $n } systems back at { $time } ({ $crews }).
recover-missed = { $n ->
        [one] { $n } system misses the target of its grade.
       *[other] { $n } systems miss the target of their grade.
    }
recover-why-not-down = { $id } is not in the plan: it does not go down.
recover-why-title = What holds up
recover-why-subject = { $id } (back at { $time }):
recover-why-subject-last = { $id }, the last system back (back at { $time }):
recover-why-step = { $id } ({ $grade }) back at { $back }: { $work }; { $why }
recover-why-no-work = back as soon as ready (no work)
recover-why-work = { $work } of work from { $start }
recover-why-failed = ready at { $ready }: failed itself, needs nothing that was down
recover-why-free = ready at { $ready }: needs nothing down outside its cycle
recover-why-provider = ready at { $ready } when { $provider } was back
recover-why-crew = ready since { $ready }, waited { $wait } for a crew, freed when { $freed } was back
crews-title = Crews what-if
crews-subtitle = after the failure of { $failed } ({ $horizon })
crews-no-target = no target
crews-target = target { $target }
crews-unlimited = no limit
col-crews = crews
col-grade1-back = grade 1 back
col-grade1-breaches = grade 1 breaches ({ $target })
col-all-breaches = all breaches

## surge

surge-title = Surge of
surge-subtitle = { $surge } ({ $failures }), requests per second
surge-factor = { $id } ×{ $factor }
surge-add = { $id } +{ $rate }/s
surge-nothing-failed = nothing failed
surge-failed = { $list } failed: { $down } down
surge-no-load = No system receives added load.
col-normal = normal
col-surge = surge
surge-no-capacity = no capacity
surge-saturated = saturated:
surge-loaded = loaded:
surge-loaded-note = (systems with added load)
surge-headroom-label = headroom:
surge-headroom-none = no node with a capacity receives added load: nothing limits the surge
surge-headroom-negative = { $id } is saturated already without the surge (headroom { $headroom })
surge-headroom = the surge fits { $headroom } times: { $id } saturates first
surge-cascade = Cascade:
surge-cascade-none = nothing saturates, so nothing more goes down.
surge-cascade-some = the saturated systems taken as failed ({ $down } down in all, { $before } before the surge)
title-surge = Surge of { $surge }: { $loaded } loaded, { $saturated } saturated{ $headroom }
title-surge-headroom = , the surge fits { $headroom } times ({ $id } first)

## diff

diff-title = Diff { $old } -> { $new }
diff-none = No differences: the two inventories load to the same model.
diff-items = items: { $added } added, { $removed } removed, { $changed } changed
col-change = change
col-item = item
col-field = field
col-old = old
col-new = new
diff-radius = Single-failure blast radius (nodes down when it fails alone, no horizon): { $grew } grew, { $shrank } shrank or changed grade
col-before = before
col-after = after
col-before-by-grade = before, by grade
col-after-by-grade = after, by grade
diff-findings-new = Policy findings new in { $new } ({ $n })
diff-findings-resolved = Policy findings resolved by { $new } ({ $n })
diff-new-errors = { $n } new error-level { $n ->
        [one] finding
       *[other] findings
    }
diff-md-title = Inventory diff
diff-md-summary = { $added } added, { $removed } removed, { $changed } changed; { $n } new error-level { $n ->
        [one] finding
       *[other] findings
    }.
diff-md-changes = Changes
diff-md-radius = Single-failure blast radius
diff-md-radius-text = Nodes down when the node fails alone (no horizon).
diff-md-new-findings = New policy findings
diff-md-resolved-findings = Resolved policy findings

## assess: the interconnection impact assessment

assess-title = Interconnection impact assessment: { $scope }
assess-source = Inventory: { $inventory } · generated by ripplemap { $version }
assess-none = None.
assess-scope = 1. Scope of the change
assess-changed-systems = Changed systems:
assess-changed-links = Changed links:
col-kind = kind
col-written-at = written at
col-consumer = consumer
col-provider = provider
col-terms = terms
col-at = at
grade-none-word = grade -
assess-summary = { $affected } { $affected ->
        [one] node
       *[other] nodes
    } depend on the change, { $direct } of them directly; { $agencies } { $agencies ->
        [one] agency
       *[other] agencies
    } to notify.
assess-level = 2. Assessment level
assess-most-critical = Most critical grade affected: **{ $grade }** ({ $nodes }).
assess-no-graded = No graded node is affected.
assess-required-nothing = Required: no additional review or test.
assess-required = Required:
assess-level-scope-one = a grade { $grade } system is affected
assess-level-scope-many = a grade { $init } or { $last } system is affected
level-independent-review = independent review
level-load-test = load test before going live
assess-direct = 3. Direct consumers: notify and retest ({ $n })
assess-transitive = 4. Transitive consumers, by depth ({ $n })
assess-window = 5. Downtime window of { $hours }: failure simulation
assess-window-how = The changed items are taken down at hour 0 for the window; links are lost after their tolerance, groups after enough members.
assess-window-down = Down during the window ({ $n }):
assess-window-degraded = Degraded only ({ $n }):
assess-back-title = Back after the window
assess-back-text = The changed systems are back when the window ends ({ $window }). Every other system that went down is back once what it needs is back (a redundancy group once enough members are) and its own `restore` work is done; dependency cycles come back together; no crew limit. Targets are the inventory's `[recovery]` table.
col-back = back
col-ready = ready
col-restore = restore
col-target = target
assess-target-missed = **missed** ({ $target })
assess-target-met = met ({ $target })
assess-changed-mark = (changed)
assess-back-all = All { $n } systems back at { $time }
assess-back-last = , the last { $id }
assess-targets-all-met = ; every system meets the target of its grade
assess-targets-missed = { $n ->
    [one] ; 1 system misses the target of its grade
   *[other] ; { $n } systems miss the target of their grade
}
assess-load-title = Load on a normal day
assess-load-undefined = Loads are not defined: { $why }.
col-load-rps = load (requests/s)
col-capacity = capacity
col-utilization = utilization
col-headroom = headroom
assess-no-load = no load
assess-no-capacity = no capacity
assess-load-text = Headroom is how many times today's load fits in the capacity. A load test before going live should reach the load of the largest surge the system must withstand: `ripplemap surge` gives it, by the path it arrives.
assess-no-window = 5. Downtime window
assess-no-window-text = No downtime planned (`--window` not given): no failure simulation.
assess-notify = 6. Notification list, by agency
assess-notify-nobody = Nobody depends on the change.
assess-no-agency = (no agency)
assess-notify-direct = direct: retest
assess-findings = 7. Policy findings touching the change ({ $n })
assess-diagram = 8. Affected neighbourhood
# The English document has no sign-off block: an empty value leaves it out.
assess-sign-off = { "" }

## Diagnostics and errors

error-line = error: { $message }
error-not-loaded = { $n } { $n ->
        [one] error
       *[other] errors
    }: the inventory was not loaded
error-unknown-node = unknown node id `{ $id }`
error-unknown-link = unknown link id `{ $id }`
error-did-you-mean = did you mean { $id }?
error-did-you-mean-many = did you mean { $init } or { $last }?
error-ambiguous-name = the name `{ $name }` is shared by { $n } nodes: { $list }; give one of their ids instead
error-list-and = { $init } and { $last }
error-bad-horizon = invalid horizon `{ $hours }` hours: expected a number of hours of at least 0
error-empty = no node or link given: expected at least one id
error-no-surge = no surge given: expected --at ID=xFACTOR or --at ID=+RATE
error-surged-twice = `{ $id }` is surged twice: give one --at per system
error-zero-max = invalid maximum cut size 0: expected at least 1
error-select-syntax = invalid selection `{ $clause }`: expected FIELD=VALUE with FIELD one of site, agency, tag, kind
error-select-kind = invalid kind `{ $kind }` in selection: expected one of system, service, site, network, external
error-select-no-match = no node matches `{ $clause }`
diag-subject-field = { $message } ({ $subject }, field `{ $field }`)
diag-field = { $message } (field `{ $field }`)
diag-expected = expected: { $what }
diag-help = help: { $what }
diag-unknown-node = unknown node id `{ $id }`
diag-expected-node-id = the id of a node declared in the inventory
diag-duplicate-node = duplicate node id `{ $id }`
diag-duplicate-link = duplicate link id `{ $id }`
diag-expected-node-once = each node id once
diag-expected-link-once = each link id once
diag-first-declared = first declared at { $at }
diag-cannot-read-inventory = cannot read the inventory: { $error }
diag-expected-inventory = a .toml, .json or .xlsx file, a directory with systems.csv and links.csv, or `-` for standard input (docs/inventory.md)
diag-cannot-read-file = cannot read the file: { $error }
diag-expected-readable = a readable file
diag-cannot-read-workbook = cannot read the workbook: { $error }
diag-expected-workbook = an .xlsx workbook (Excel 2007 or later)
