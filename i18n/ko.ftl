# ripplemap의 한국어 메시지. en.ftl의 모든 메시지와 같은 id, 같은 변수를 가진다
# (테스트가 확인한다). 값 앞뒤의 공백은 남지 않으므로 정렬용 공백은 코드에 둔다.

## 시간, 등급, 개수

hours = { $n }시간
days = { $n }일
path-more = … { $n }개 생략 …
horizon-within = { $hours } 이내
horizon-none = 기한 없음: 장애가 계속됨
shown = 표시:
shown-rows = 전체 { $total }{ $count ->
   *[other] 행
} 중 { $rows }행 ({ $filters }): { $left }행 생략
shown-state = 상태 { $list }
shown-grade = 등급 { $list }
shown-ungraded = 등급 없음
shown-agency = 기관 { $list }
shown-limit = 최대 { $n }행
shown-rule = 규칙 { $list }
shown-findings = 표시: 전체 { $total }건 중 { $shown }건 ({ $filters }): { $left }건 생략
filter-no-match = 조건에 맞는 영향 노드가 없습니다.
grade-word = { $grade }등급
grade-count = { $grade }등급: { $n }
ungraded-count = 등급 없음: { $n }
grade-short = { $grade }등급 { $n }
none = 없음

## 목록 용어

kw-system = 시스템
kw-service = 서비스
kw-site = 센터
kw-network = 네트워크
kw-external = 외부
kw-interface = 인터페이스
kw-hosting = 호스팅
kw-sync = 실시간
kw-async = 배치
kw-down = 중단
kw-degraded = 저하
kw-error = 오류
kw-warning = 경고
kw-off = 끔

## 구성도 설명

title-map = 연계 구성도: 노드 { $nodes }개, 연계 { $links }개
title-around = { $id } 주변 { $depth }단계 연계
title-impact = { $what } 장애 ({ $horizon }): 중단 { $down }, 저하 { $degraded }
title-change = { $what } 변경: 영향 { $affected }, 직접 { $direct }
what-link = 연계 { $id }
state-failed-at = { $hours }에 장애 발생
state-down-at = { $hours }에 중단
state-degraded-at = { $hours }에 저하
state-changed = 변경
state-depth = 깊이 { $depth }
state-load = 초당 { $capacity }건 중 { $load }건 ({ $percent }%)
state-load-no-capacity = 초당 { $load }건, 처리 용량 없음
edge-changed = 변경
edge-failed = 장애
edge-soft = 약한 연계
collapsed = 그리지 않은 노드 { $n }개
collapsed-affected = (그중 영향 { $n }개)
change-added = 추가
change-removed = 삭제
change-changed = 변경

## 표 열

col-state = 상태
col-id = ID
col-name = 이름
col-grade = 등급
col-agency = 기관
col-path = 경로
col-depth = 깊이

## impact, change

impact-title = 장애:
state-failed = 장애 발생
state-down = 중단
state-degraded = 저하
at-once = 즉시 ({ $hours })
after-hours = { $hours } 후
impact-nothing = 영향받는 노드가 없습니다.
summary = 요약
summary-down = 중단:
summary-degraded = 저하:
summary-critical-down = 중단된 최고 등급: { $grade }
summary-agencies-affected = 영향받는 기관 ({ $n }): { $list }
change-title = 변경:
change-direct = 직접 이용 시스템: 통보 및 재시험 대상
change-transitive = 간접 이용 시스템 (깊이별)
change-nothing = 이 변경에 의존하는 노드가 없습니다.
summary-affected = 영향:
summary-direct = 직접:
summary-critical-affected = 영향받는 최고 등급: { $grade }
summary-agencies-notify = 통보 대상 기관 ({ $n }): { $list }
kw-node = 노드
kw-link = 연계
kw-group = 그룹

## check

check-ok = 정상
check-counts = { $path }: 노드 { $nodes }개, 연계 { $links }개, 그룹 { $groups }개, 기관 { $agencies }곳
check-nodes-by-kind = 유형별 노드:
check-nodes-by-grade = 등급별 노드:
check-links-by-kind = 유형별 연계:
check-links-by-mode = 방식별 연계:
check-modes = { $counts } (허용지연 있음 { $tolerant }, 약한 연계 { $soft })
check-groups = 그룹:
check-groups-count = { $groups } (둘 이상 필요 { $kofn })
check-load = 부하:
check-load-count = 외부 부하가 있는 노드 { $nodes }개 (모두 초당 { $rate }건), 처리 용량이 있는 노드 { $capacity }개; 부하를 나르는 연계 { $links }개 (호출 수 기재 { $calls }개)
col-site = 센터
col-hosts = 수용
col-only-here = 여기에만
policy-totals = 정책 점검: 오류 { $errors }건, 경고 { $warnings }건
col-rule = 규칙
col-severity = 수준
col-findings = 발견
finding-nodes = 노드: { $list }
finding-links = 연계: { $list }
finding-at = 위치: { $list }

## 정책 점검 결과: 규칙별 한 줄 (JSON과 SARIF는 영어 그대로)

finding-grade-inversion = { $consumer_grade }등급 `{ $consumer }`이(가) { $provider_grade }등급 `{ $provider }`을(를) 대안 없이 { $within } 필요로 합니다 (연계 `{ $link }`): 제공 시스템보다 가용성이 높을 수 없습니다
finding-at-once = 즉시
finding-within = { $duration } 이내에
finding-single-site = { $grade }등급 `{ $node }`은(는) 센터 { $sites }이(가) 정상일 때만 운영됩니다: 액티브-액티브 대안이 없습니다
finding-single-site-many = { $grade }등급 `{ $node }`은(는) 센터 { $sites }이(가) 모두 동시에 필요합니다: 각 센터가 단일 장애점입니다
finding-false-redundancy = `{ $consumer }`의 이중화 그룹 `{ $group }`(대안 { $alternatives }: { $need } 필요)은(는) { $culprits }에 장애가 나면 끊깁니다{ $upstream }: 대안들이 이 장애 지점을 공유합니다
finding-need-any = 하나 이상
finding-need = { $size }개 중 { $min }개 이상
finding-upstream-one = {" "}(장애 시 이 그룹을 끊는 다른 노드가 1개 더 있음)
finding-upstream-many = {" "}(장애 시 이 그룹을 끊는 다른 노드가 { $n }개 더 있음)
finding-sync-cycle = 실시간 순환 { $path }{ $knot }: 각 노드가 대안 없이 다음 노드를 즉시 필요로 하므로 어느 것도 먼저 재시작할 수 없습니다
finding-knot = {" "}(노드 { $n }개가 얽힌 순환 중 하나)
finding-external-hard = 1등급 `{ $consumer }`은(는) 외부 `{ $provider }`에 장애가 나면 중단됩니다 (연계 `{ $link }`, 허용지연 { $tolerance }): 대안이 없습니다
finding-async-zero-tolerance = 배치 연계 `{ $link }`에 허용지연이 없습니다: 실시간 연계처럼 `{ $provider }`에 장애가 나는 즉시 `{ $consumer }`이(가) 중단됩니다. 견딜 수 있는 시간을 허용지연으로 기재하십시오
finding-orphan = { $kind } `{ $node }`에 연계가 전혀 없습니다: 이 노드에 의존하는 것도, 이 노드가 의존하는 것도 없습니다
finding-no-agency = { $kind } `{ $node }`에 기관이 없습니다: 장애나 변경 시 통보할 곳이 없습니다
finding-no-capacity = { $kind } `{ $node }`은(는) 평상시 초당 { $rate }건의 요청을 받지만 처리 용량이 없습니다: 부하 급증 시 언제 포화되는지 알 수 없습니다
finding-list-one = { $item }
finding-list-or = { $init } 또는 { $last }
finding-list-or-more = { $list } 외 { $n }개
finding-none = {""}

## 구성도

legend = 범례
legend-changed = 변경 대상
legend-direct = 직접 이용 (깊이 1): 재시험
legend-transitive = 간접 이용
legend-not-affected = 영향 없음
legend-failed = 장애 발생 (시나리오)
legend-down = 중단 (시각 표시)
legend-degraded = 저하 (시각 표시)
legend-unaffected = 영향 없음
legend-service = 공통 서비스
legend-site = 센터 (데이터센터)
legend-grade = 굵은 테두리 = 1등급, 중간 = 2등급
    화살표는 제공 -> 이용 방향:
    장애가 전파되는 방향
legend-async = 배치, 허용지연
legend-soft = 약한 연계 (저하만)
legend-alternatives = 대체 경로: n개 중 k개 필요
legend-group-sample = 1/2 그룹
legend-witness = 전파 경로
legend-surge-path = 늘어난 부하의 경로 (화살표 반대 방향)
legend-saturated = 포화 (부하가 처리 용량 초과)
legend-load-80 = 처리 용량의 80 % 이상
legend-load-50 = 50 % 이상
legend-load-below = 50 % 미만
legend-load-no-capacity = 부하 있음, 처리 용량 미기재
legend-no-load = 늘어난 부하 없음
mark-unaffected = 영향 없음
mark-failed = 장애 발생
mark-direct = 직접
mark-saturated = 포화
mark-loaded = 부하 증가
mark-transitive = 간접

## HTML 보고서

html-intro = 목록: 노드 { $nodes }개, 연계 { $links }개. 구성도에는 노드 { $drawn_nodes }개와 연계 { $drawn_links }개를 그렸습니다{ $more }.
html-more = ; 나머지 노드 { $n }개는 점선 요약 상자에 셉니다
html-missing = 구성도가 없습니다: 이 보고서를 만들 때 Graphviz가 설치되어 있지 않았습니다
html-by-agency = 기관별 영향
html-by-grade = 등급별 영향
html-total = 합계
html-affected = 영향받는 노드
html-surge-loaded = 부하가 늘어난 노드
html-recovery-title = 복구 일정
html-recovery-text = 장애가 난 시스템을 복구해야 한다면: 중단된 노드는 필요한 대상이 모두 복구되고 자체 <code>restore</code> 작업이 끝나면 복구되며, 복구 인력 제한은 두지 않습니다(<code>ripplemap recover</code>로 인력, 목표와 전체 표를 볼 수 있습니다). 시스템 { $n }개가 모두 { $time }에 복구됩니다.
col-systems = 시스템 수
col-all-back = 모두 복구
col-last-back = 마지막 복구
col-breaches = 미달
col-load = 부하
html-changed-affected = 변경 및 영향 노드
col-hour = 시각

## rank, scenarios, cuts, recover

rank-title = 중요도:
rank-subtitle = 노드 { $nodes }개를 단독 장애 시 중단시키는 노드 수(등급 가중)로 순위 매김 ({ $horizon })
rank-weights = 가중치: 1등급 = { $g1 }, 2등급 = { $g2 }, 3등급 = { $g3 }, 4등급 = { $g4 }, 등급 없음 = { $ungraded }
rank-footer = 단일 장애점 { $spofs }개 (단독 장애로 자신이 아닌 1등급 시스템을 중단시킴); 노드 { $nodes }개 중 { $shown }개 표시
col-rank = 순위
col-score = 점수
col-down = 중단
col-by-grade = 등급별
col-degraded = 저하
col-most-critical-down = 중단된 최고 등급
col-spof = 단일 장애점
scenarios-title = 시나리오:
scenarios-subtitle = { $sweep }: 시나리오 { $n }개 ({ $horizon })
col-scenario = 시나리오
col-failed = 장애
col-only-together = 동시 장애 시에만
scenarios-only-together = `동시 장애 시에만`: 두 센터 중 어느 한 곳만의 장애로는 중단되지 않는 노드 (두 센터에서 이중화 운영).
cuts-title = 최소 절단 집합:
cuts-subtitle = { $target } ({ $name }{ $grade }): 함께 장애가 나면 중단시키는 최대 { $max }개 노드의 집합
cuts-ancestors = 영향을 줄 수 있는 상위 노드 { $n }개
cuts-none = 최대 { $n }개 노드의 어떤 조합으로도 중단되지 않습니다: 독립적인 장애 { $n }건을 견딥니다.
col-size = 크기
col-nodes = 노드
cuts-listed = {" "}({ $n }개 표시: --limit)
cuts-found = 최소 절단 집합 { $n }개
cuts-found-at-least = 최소 절단 집합 { $n }개 이상
cuts-footer = { $count }{ $listed }; 가장 작은 집합은 노드 { $smallest }개{ $end }
cuts-spof = : 단일 장애점이 있습니다.
cuts-survives = : 독립적인 장애 { $n }건을 견딥니다.
cuts-stop-count = 절단 집합 { $n }개에서 세기를 멈춤 (--limit의 { $factor }배)
cuts-stop-candidates = 그 이상은 후보 집합이 너무 많음
cuts-stopped = 크기 { $size }까지 탐색하고 멈췄습니다: { $why }.
recover-title = 복구 일정:
recover-subtitle = { $failed } 장애 후 ({ $horizon }): 시스템 { $systems }개, { $waves }단계, { $crews }
failed-items-many = 노드 { $n }개 ({ $list }, … 외 { $more }개)
crews-no-limit = 복구 인력 제한 없음
crews-count = 복구 인력 { $n }팀
ungraded = 등급 없음
col-down-at = 중단 시각
col-start = 작업 시작
col-work = 작업 시간
col-restored-with = 함께 복구
recover-failed-id = { $id } (장애)
recover-target-missed = 미달 { $target }
recover-target-met = 충족 { $target }
recover-cycles = 의존 순환 { $n }개는 함께 복구합니다 (`순환` 표시).
recover-cycle-list = 순환 { $n } (시스템 { $size }개): { $list }
recover-cycle-below = 순환 { $n } (시스템 { $size }개, 아래 목록)
recover-cycle-with = 순환: { $list }
recover-by-grade = 등급별 요약
recover-all-back = 시스템 { $n }개가 모두 { $time }에 복구됩니다 ({ $crews }).
recover-missed = 등급별 목표에 미달하는 시스템은 { $n }개입니다.
recover-why-not-down = { $id }: 복구 계획에 없습니다 (중단되지 않음).
recover-why-title = 복구 지연 원인:
recover-why-subject = { $id } ({ $time }에 복구)
recover-why-subject-last = { $id } (마지막으로 복구, { $time })
recover-why-step = { $id } ({ $grade }) { $back }에 복구: { $work }; { $why }
recover-why-no-work = 준비되는 즉시 복구 (작업 없음)
recover-why-work = { $start }부터 { $work } 작업
recover-why-failed = { $ready }에 준비 완료: 자체 장애이며 중단된 대상에 의존하지 않음
recover-why-free = { $ready }에 준비 완료: 순환 밖의 중단된 대상에 의존하지 않음
recover-why-provider = { $provider } 복구로 { $ready }에 준비 완료
recover-why-crew = { $ready }에 준비 완료, 복구 인력을 { $wait } 기다림 ({ $freed } 복구 후 인력 투입)
crews-title = 복구 인력별 비교:
crews-subtitle = { $failed } 장애 후 ({ $horizon })
crews-no-target = 목표 없음
crews-target = 목표 { $target }
crews-unlimited = 제한 없음
col-crews = 복구 인력
col-grade1-back = 1등급 모두 복구
col-grade1-breaches = 1등급 미달 ({ $target })
col-all-breaches = 전체 미달

## surge

surge-title = 부하 급증:
surge-subtitle = { $surge } ({ $failures }), 단위: 초당 요청 수
surge-factor = { $id } ×{ $factor }
surge-add = { $id } 초당 +{ $rate }건
surge-nothing-failed = 장애 없음
surge-failed = { $list } 장애: 중단 { $down }
surge-no-load = 늘어난 부하를 받는 시스템이 없습니다.
col-normal = 평상시
col-surge = 급증 시
surge-no-capacity = 처리 용량 없음
surge-saturated = 포화:
surge-loaded = 부하 증가:
surge-loaded-note = (부하가 늘어난 시스템)
surge-headroom-label = 여유:
surge-headroom-none = 처리 용량이 있는 노드에 늘어난 부하가 없음: 급증을 제한하는 노드 없음
surge-headroom-negative = 급증 전에 이미 포화 상태: { $id } (여유 { $headroom })
surge-headroom = 이번 급증의 { $headroom }배까지 수용 (가장 먼저 포화: { $id })
surge-cascade = 연쇄 장애:
surge-cascade-none = 포화되는 시스템이 없으므로 추가로 중단되는 시스템도 없습니다.
surge-cascade-some = 포화된 시스템을 장애로 간주 (모두 { $down }개 중단, 급증 전 { $before }개)
title-surge = { $surge } 부하 급증: 부하 증가 { $loaded }, 포화 { $saturated }{ $headroom }
title-surge-headroom = , 급증의 { $headroom }배까지 수용 ({ $id } 먼저 포화)

## diff

diff-title = 비교 { $old } -> { $new }
diff-none = 차이 없음: 두 목록은 같은 모델로 읽힙니다.
diff-items = 항목: 추가 { $added }, 삭제 { $removed }, 변경 { $changed }
col-change = 변경
col-item = 항목
col-field = 필드
col-old = 이전
col-new = 이후
diff-radius = 단독 장애 영향 범위 (단독 장애 시 중단되는 노드, 기한 없음): 증가 { $grew }, 감소 또는 등급 변경 { $shrank }
col-before = 이전
col-after = 이후
col-before-by-grade = 이전, 등급별
col-after-by-grade = 이후, 등급별
diff-findings-new = { $new }에서 새로 발견된 정책 점검 결과 ({ $n })
diff-findings-resolved = { $new }에서 해소된 정책 점검 결과 ({ $n })
diff-new-errors = 새 오류 수준 발견 { $n }건
diff-md-title = 연계 목록 비교
diff-md-summary = 추가 { $added }, 삭제 { $removed }, 변경 { $changed }; 새 오류 수준 발견 { $n }건.
diff-md-changes = 변경 사항
diff-md-radius = 단독 장애 영향 범위
diff-md-radius-text = 해당 노드 단독 장애 시 중단되는 노드 수 (기한 없음).
diff-md-new-findings = 새 정책 점검 결과
diff-md-resolved-findings = 해소된 정책 점검 결과

## assess: 연계 영향도 평가서

assess-title = 연계 영향도 평가서: { $scope }
assess-source = 연계 목록: { $inventory } · ripplemap { $version }(으)로 작성
assess-none = 없음.
assess-scope = 1. 개요 및 변경 범위
assess-changed-systems = 변경 대상 시스템:
assess-changed-links = 변경 대상 연계:
col-kind = 유형
col-written-at = 정의 위치
col-consumer = 이용시스템
col-provider = 제공시스템
col-terms = 연계 조건
col-at = 시각
grade-none-word = 등급 없음
assess-summary = 이 변경에 의존하는 노드는 { $affected }개이며 그중 { $direct }개가 직접 이용합니다. 통보 대상 기관은 { $agencies }곳입니다.
assess-level = 2. 최고 영향 등급과 요구 평가 수준
assess-most-critical = 영향받는 최고 등급: **{ $grade }** ({ $nodes }).
assess-no-graded = 등급이 지정된 노드는 영향받지 않습니다.
assess-required-nothing = 요구 사항: 추가 검토나 시험 없음.
assess-required = 요구 사항:
assess-level-scope-one = { $grade }등급 시스템이 영향받는 경우
assess-level-scope-many = { $init } 또는 { $last }등급 시스템이 영향받는 경우
level-independent-review = 독립 검토
level-load-test = 운영 반영 전 부하 시험
assess-direct = 3. 직접 영향 (통보·재시험 대상) ({ $n })
assess-transitive = 4. 간접 영향 (연계 깊이별) ({ $n })
assess-window = 5. 계획 중단 시 장애 전파 (중단 시간 { $hours })
assess-window-how = 변경 대상을 0시간에 중단시키고 중단 시간 동안 장애 전파를 모의했습니다. 연계는 허용지연이 지나면 끊기고, 그룹은 필요한 수보다 많은 구성원을 잃으면 끊깁니다.
assess-window-down = 중단 시간 중 중단 ({ $n }):
assess-window-degraded = 저하만 발생 ({ $n }):
assess-back-title = 중단 시간 이후 복구
assess-back-text = 변경 대상은 중단 시간이 끝날 때({ $window }) 복구됩니다. 중단된 다른 시스템은 필요한 대상이 모두 복구되고(이중화 그룹은 필요한 수만큼 복구되고) 자체 `restore` 작업이 끝나면 복구됩니다. 순환 의존 관계인 시스템은 함께 복구되며, 복구 인력 제한은 두지 않습니다. 목표 시간은 목록의 `[recovery]` 표를 따릅니다.
col-back = 복구 시각
col-ready = 준비 완료
col-restore = 복구 작업
col-target = 목표
assess-target-missed = **미달** ({ $target })
assess-target-met = 충족 ({ $target })
assess-changed-mark = (변경)
assess-back-all = 시스템 { $n }개가 모두 { $time }에 복구됨
assess-back-last = , 마지막은 { $id }
assess-targets-all-met = ; 모든 시스템이 등급별 목표를 충족
assess-targets-missed = ; 시스템 { $n }개가 등급별 목표에 미달
assess-load-title = 평상시 부하
assess-load-undefined = 부하를 정할 수 없습니다: { $why }.
col-load-rps = 부하 (초당 요청)
col-capacity = 처리 용량
col-utilization = 사용률
col-headroom = 여유
assess-no-load = 부하 없음
assess-no-capacity = 처리 용량 없음
assess-load-text = 여유는 현재 부하가 처리 용량에 몇 배까지 들어가는지를 뜻합니다. 운영 전환 전 부하 시험은 이 시스템이 견뎌야 할 가장 큰 급증 부하에 이르러야 합니다. `ripplemap surge`가 그 부하를 유입 경로별로 알려 줍니다.
assess-no-window = 5. 계획 중단 시 장애 전파
assess-no-window-text = 계획된 중단 없음 (`--window` 미지정): 장애 전파를 모의하지 않았습니다.
assess-notify = 6. 기관별 통보 목록
assess-notify-nobody = 이 변경에 의존하는 노드가 없습니다.
assess-no-agency = (기관 없음)
assess-notify-direct = 직접: 재시험
assess-findings = 7. 관련 정책 점검 결과 ({ $n })
assess-diagram = 8. 연계 구성도
assess-sign-off = ## 9. 검토 및 승인

    | 구분 | 소속 | 성명 | 서명 | 일자 |
    |---|---|---|---|---|
    | 작성자 | | | | |
    | 검토자 | | | | |
    | 승인자 | | | | |

## 진단과 오류

error-line = 오류: { $message }
error-not-loaded = 오류 { $n }건: 연계 목록을 읽지 못했습니다
error-unknown-node = 알 수 없는 노드 ID `{ $id }`
error-unknown-link = 알 수 없는 연계 ID `{ $id }`
error-did-you-mean = { $id }을(를) 찾으셨나요?
error-did-you-mean-many = { $init }, { $last } 중 하나를 찾으셨나요?
error-ambiguous-name = 이름 `{ $name }`을(를) 노드 { $n }개가 함께 씁니다: { $list }. 이 중 하나의 ID를 지정하십시오
error-list-and = { $init }, { $last }
error-bad-horizon = 잘못된 기한 `{ $hours }`시간: 0 이상의 시간 수를 지정하십시오
error-empty = 노드나 연계가 지정되지 않았습니다: ID를 하나 이상 지정하십시오
error-no-surge = 부하 급증이 지정되지 않았습니다: --at ID=xFACTOR 또는 --at ID=+RATE를 지정하십시오
error-surged-twice = `{ $id }`에 부하 급증이 두 번 지정되었습니다: 시스템마다 --at을 하나씩 지정하십시오
error-zero-max = 잘못된 최대 절단 집합 크기 0: 1 이상을 지정하십시오
error-select-syntax = 잘못된 선택 조건 `{ $clause }`: FIELD=VALUE 형식으로, FIELD는 site, agency, tag, kind 중 하나를 지정하십시오
error-select-kind = 선택 조건의 잘못된 유형 `{ $kind }`: system, service, site, network, external 중 하나를 지정하십시오
error-select-no-match = `{ $clause }`에 해당하는 노드가 없습니다
diag-subject-field = { $message } ({ $subject }, 필드 `{ $field }`)
diag-field = { $message } (필드 `{ $field }`)
diag-expected = 기대값: { $what }
diag-help = 도움말: { $what }
diag-unknown-node = 알 수 없는 노드 ID `{ $id }`
diag-expected-node-id = 연계 목록에 선언된 노드의 ID
diag-duplicate-node = 중복된 노드 ID `{ $id }`
diag-duplicate-link = 중복된 연계 ID `{ $id }`
diag-expected-node-once = 노드 ID는 한 번만
diag-expected-link-once = 연계 ID는 한 번만
diag-first-declared = 처음 선언된 곳: { $at }
diag-cannot-read-inventory = 연계 목록을 읽을 수 없습니다: { $error }
diag-expected-inventory = .toml, .json, .xlsx 파일, systems.csv와 links.csv가 있는 디렉터리, 또는 표준 입력을 뜻하는 `-` (docs/inventory.md)
diag-cannot-read-file = 파일을 읽을 수 없습니다: { $error }
diag-expected-readable = 읽을 수 있는 파일
diag-cannot-read-workbook = 통합 문서를 읽을 수 없습니다: { $error }
diag-expected-workbook = .xlsx 통합 문서 (Excel 2007 이상)
