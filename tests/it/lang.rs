//! The language of the output (`--lang`, the locale): the Korean tables (impact, change,
//! check, recover, surge) and assessment as snapshots, English by default, JSON the same
//! in both, and the message catalog complete.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::{ripplemap, root};

const EGOV: &str = "inventories/korea-egov.toml";

#[test]
fn impact_in_korean() {
    let out = ripplemap()
        .args([
            "impact", EGOV, "--fail", "gpki", "--hours", "56", "--lang", "ko",
        ])
        .ok();
    insta::assert_snapshot!(out);
}

#[test]
fn change_in_korean() {
    let out = ripplemap()
        .args(["change", EGOV, "--system", "share-center", "--lang", "ko"])
        .ok();
    insta::assert_snapshot!(out);
}

#[test]
fn check_in_korean() {
    let out = ripplemap().args(["check", EGOV, "--lang", "ko"]).run();
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn policy_findings_read_in_korean() {
    let out = ripplemap().args(["check", EGOV, "--lang", "ko"]).run();
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let out = out.stdout;
    for part in [
        "오류[grade-inversion] inventories/korea-egov.toml:2734: 1등급 `vaccine-booking`이(가) \
         2등급 `kdca-immun`을(를) 대안 없이 즉시 필요로 합니다",
        "오류[false-redundancy] inventories/korea-egov.toml:3178: `dbrain`의 이중화 그룹 \
         `official-login`(대안 `gpki`, `mobile-official-id`: 하나 이상 필요)은(는) \
         `nirs-daejeon`에 장애가 나면 끊깁니다",
        "센터 `nirs-daejeon`이(가) 정상일 때만 운영됩니다",
        "외부 `carriers`에 장애가 나면 중단됩니다 (연계 `cbs-alert->carriers`, 허용지연 0)",
    ] {
        assert!(out.contains(part), "{part} is missing:\n{out}");
    }
    // No rule's English message is left, whatever the rule.
    for english in [
        "needs grade",
        "no alternative",
        "cannot be more available",
        "group `",
        "is lost when",
        "the alternatives share it",
        "runs only while site",
        "active-active",
        "stops when external",
        "tolerance 0",
    ] {
        assert!(!out.contains(english), "{english} in:\n{out}");
    }
    // Every rule, on the fixture that triggers it, reads in Korean; in English as before.
    for (rule, korean, english) in [
        (
            "sync-cycle",
            "실시간 순환 a -> b -> c -> a: 각 노드가 대안 없이",
            "sync cycle a -> b -> c -> a: each needs the next at once",
        ),
        (
            "async-zero-tolerance",
            "배치 연계 `stats->tax`에 허용지연이 없습니다",
            "async link `stats->tax` has no tolerance",
        ),
        (
            "orphan",
            "시스템 `lonely`에 연계가 전혀 없습니다",
            "system `lonely` has no links at all",
        ),
        (
            "no-agency",
            "시스템 `b`에 기관이 없습니다",
            "system `b` has no agency",
        ),
        (
            "no-capacity",
            "시스템 `registry`은(는) 평상시 초당 100건의 요청을 받지만 처리 용량이 없습니다",
            "system `registry` receives 100 requests/s on a normal day but has no capacity",
        ),
        (
            "single-site",
            "1등급 `registry`은(는) 센터 `dc1`이(가) 정상일 때만 운영됩니다",
            "grade 1 `registry` runs only while site `dc1` is up",
        ),
    ] {
        let inv = format!("tests/fixtures/policy/{rule}-yes.toml");
        let ko = ripplemap()
            .args(["check", &inv, "--lang", "ko"])
            .run()
            .stdout;
        assert!(ko.contains(&format!("[{rule}]")), "{ko}");
        assert!(ko.contains(korean), "{korean} is missing:\n{ko}");
        assert!(!ko.contains(english), "{english} in:\n{ko}");
        let en = ripplemap().args(["check", &inv]).run().stdout;
        assert!(en.contains(english), "{english} is missing:\n{en}");
    }
}

#[test]
fn assessment_in_korean() {
    let out = ripplemap()
        .args([
            "assess", EGOV, "--system", "gpki", "--window", "4h", "--lang", "ko",
        ])
        .ok();
    for part in [
        "# 연계 영향도 평가서",
        "## 1. 개요 및 변경 범위",
        "## 3. 직접 영향 (통보·재시험 대상)",
        "## 5. 계획 중단 시 장애 전파 (중단 시간 4시간)",
        "**1등급**",
        "## 6. 기관별 통보 목록",
        "## 9. 검토 및 승인",
        "| 작성자 |",
        "| 승인자 |",
    ] {
        assert!(out.contains(part), "{part} is missing:\n{out}");
    }
    assert!(!out.contains("SPEC"), "{out}");
    insta::assert_snapshot!(out);
}

/// The cells of the first header row of a table.
fn header_cells(table: &str) -> Vec<String> {
    table
        .lines()
        .find(|l| l.starts_with('│'))
        .map(|l| {
            l.split(['│', '┆'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn recover_in_korean() {
    let out = ripplemap()
        .args([
            "recover", EGOV, "--fail", "gpki", "--crews", "2", "--why", "gov24", "--lang", "ko",
        ])
        .ok();
    for part in [
        "복구 일정: gpki 장애 후 (기한 없음: 장애가 계속됨): 시스템 20개, 5단계, 복구 인력 2팀",
        "gpki (장애)",
        "충족 3일",
        "등급별 요약",
        "복구 지연 원인: gov24 (",
        "(1등급)",
    ] {
        assert!(out.contains(part), "{part} is missing:\n{out}");
    }
    assert_eq!(
        header_cells(&out),
        [
            "ID",
            "이름",
            "등급",
            "기관",
            "중단 시각",
            "준비 완료",
            "작업 시작",
            "작업 시간",
            "복구 시각",
            "목표"
        ]
    );
    for english in [
        "Recovery timeline",
        "after the failure",
        "systems",
        "crew",
        "(failed)",
        "met ",
        "MISSED",
        "By grade",
        "all back",
        "breaches",
        "What holds up",
        "back at",
        "ready",
        "of work",
    ] {
        assert!(!out.contains(english), "{english} in:\n{out}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn crews_what_if_in_korean() {
    let out = ripplemap()
        .args([
            "recover",
            EGOV,
            "--fail-where",
            "site=nirs-daejeon",
            "--crews",
            "1,8,unlimited",
            "--lang",
            "ko",
        ])
        .ok();
    assert!(out.starts_with("복구 인력별 비교: 노드 34개 ("), "{out}");
    assert!(out.contains("… 외 29개) 장애 후"), "{out}");
    assert!(out.contains("제한 없음"), "{out}");
    assert_eq!(
        header_cells(&out),
        [
            "복구 인력",
            "모두 복구",
            "1등급 모두 복구",
            "1등급 미달 (목표 3일)",
            "전체 미달"
        ]
    );
    for english in [
        "Crews what-if",
        "nodes",
        "more",
        "no limit",
        "grade",
        "target",
    ] {
        assert!(!out.contains(english), "{english} in:\n{out}");
    }
}

#[test]
fn surge_in_korean() {
    let out = ripplemap()
        .args([
            "surge",
            EGOV,
            "--at",
            "vaccine-booking=x10",
            "--cascade",
            "--lang",
            "ko",
        ])
        .ok();
    for part in [
        "부하 급증: vaccine-booking ×10 (장애 없음), 단위: 초당 요청 수",
        "요약",
        "포화:          2  (resident-reg, kdca-immun)",
        "부하 증가:    13  (부하가 늘어난 시스템)",
        "여유:      이번 급증의 0.42배까지 수용 (가장 먼저 포화: resident-reg)",
        "연쇄 장애: 포화된 시스템을 장애로 간주 (모두 12개 중단, 급증 전 0개)",
    ] {
        assert!(out.contains(part), "{part} is missing:\n{out}");
    }
    assert_eq!(
        header_cells(&out),
        [
            "사용률",
            "ID",
            "이름",
            "등급",
            "평상시",
            "급증 시",
            "처리 용량",
            "경로"
        ]
    );
    for english in [
        "Surge of",
        "requests per second",
        "nothing failed",
        "utilization",
        "normal",
        "capacity",
        "Summary",
        "saturated",
        "loaded",
        "headroom",
        "Cascade",
        "taken as failed",
    ] {
        assert!(!out.contains(english), "{english} in:\n{out}");
    }
    insta::assert_snapshot!(out);
    // An added rate and a failed link read in Korean too, and so does the diagram title.
    let out = ripplemap()
        .args([
            "surge",
            EGOV,
            "--at",
            "gov24=+5000",
            "--fail-link",
            "gov24->neis",
            "--lang",
            "ko",
        ])
        .ok();
    assert!(
        out.starts_with("부하 급증: gov24 초당 +5,000건 (연계 gov24->neis 장애: 중단 0)"),
        "{out}"
    );
    let out = ripplemap()
        .args([
            "render",
            EGOV,
            "--surge",
            "vaccine-booking=x10",
            "--format",
            "mermaid",
            "--lang",
            "ko",
        ])
        .ok();
    assert!(
        out.contains(
            "title: \"vaccine-booking ×10 부하 급증: 부하 증가 13, 포화 2, \
             급증의 0.42배까지 수용 (resident-reg 먼저 포화)\""
        ),
        "{out}"
    );
}

/// `(id, hour)` of each row of an impact table, in order.
fn rows(table: &str) -> Vec<(String, String)> {
    let mut hour = String::new();
    let mut rows = Vec::new();
    for line in table.lines() {
        let boxed = line.starts_with(|c: char| ('\u{2500}'..='\u{257F}').contains(&c));
        if !boxed {
            if !line.trim().is_empty() && !line.starts_with(' ') {
                hour = line.chars().filter(char::is_ascii_digit).collect();
            }
            continue;
        }
        if !line.starts_with('│') {
            continue;
        }
        let cells: Vec<&str> = line.split(['│', '┆']).map(str::trim).collect();
        if let Some(id) = cells.get(2).filter(|id| !id.is_empty()) {
            rows.push((id.to_string(), hour.clone()));
        }
    }
    rows
}

#[test]
fn the_korean_workbook_by_name_gives_the_rows_of_the_toml_by_id() {
    let ko = ripplemap()
        .args([
            "impact",
            "inventories/korea-egov.xlsx",
            "--fail",
            "정부24",
            "--hours",
            "56",
            "--lang",
            "ko",
        ])
        .ok();
    let en = ripplemap()
        .args(["impact", EGOV, "--fail", "gov24", "--hours", "56"])
        .ok();
    assert!(ko.contains("즉시 (0시간)"), "{ko}");
    assert!(en.contains("At once (0 h)"), "{en}");
    let (k, e) = (rows(&ko), rows(&en));
    assert!(k.len() >= 3, "{ko}");
    // The header row (`ID` and `id`) aside, the same ids at the same hours.
    assert_eq!(&k[1..], &e[1..]);
}

#[test]
fn json_and_sarif_are_the_same_in_both_languages() {
    for args in [
        vec![
            "impact", EGOV, "--fail", "gpki", "--hours", "4", "--format", "json",
        ],
        vec!["change", EGOV, "--system", "gpki", "--format", "json"],
        vec!["check", EGOV, "--format", "json"],
        vec!["check", EGOV, "--format", "sarif"],
        vec![
            "assess", EGOV, "--system", "gpki", "--window", "4h", "--format", "json",
        ],
        vec!["rank", EGOV, "--top", "5", "--format", "json"],
        vec![
            "recover", EGOV, "--fail", "gpki", "--crews", "2", "--why", "gov24", "--format", "json",
        ],
        vec![
            "recover",
            EGOV,
            "--fail",
            "gpki",
            "--crews",
            "1,unlimited",
            "--format",
            "json",
        ],
        vec![
            "surge",
            EGOV,
            "--at",
            "vaccine-booking=x10",
            "--cascade",
            "--format",
            "json",
        ],
    ] {
        let en = ripplemap().args(&args).args(["--lang", "en"]).run();
        let ko = ripplemap().args(&args).args(["--lang", "ko"]).run();
        assert_eq!(en.stdout, ko.stdout, "{args:?}");
        assert_eq!(en.code, ko.code, "{args:?}");
    }
}

#[test]
fn the_locale_chooses_the_language_and_the_flag_wins() {
    let args = ["impact", EGOV, "--fail", "gpki"];
    let plain = ripplemap().args(args).ok();
    assert!(plain.contains("At once (0 h)"), "{plain}");
    for (var, value) in [
        ("LANG", "ko_KR.UTF-8"),
        ("LC_MESSAGES", "ko_KR.UTF-8"),
        ("LC_ALL", "ko"),
    ] {
        let out = ripplemap().args(args).env(var, value).ok();
        assert!(out.contains("즉시 (0시간)"), "{var}={value}: {out}");
    }
    // LC_ALL comes first, then LC_MESSAGES, then LANG.
    let out = ripplemap()
        .args(args)
        .env("LC_ALL", "C")
        .env("LANG", "ko_KR.UTF-8")
        .ok();
    assert!(out.contains("At once"), "{out}");
    let out = ripplemap()
        .args(args)
        .env("LC_MESSAGES", "en_US.UTF-8")
        .env("LANG", "ko_KR.UTF-8")
        .ok();
    assert!(out.contains("At once"), "{out}");
    let out = ripplemap()
        .args(args)
        .env("LANG", "ko_KR.UTF-8")
        .args(["--lang", "en"])
        .ok();
    assert!(out.contains("At once"), "{out}");
}

#[test]
fn diagnostics_are_framed_in_korean() {
    let out = ripplemap()
        .args(["impact", EGOV, "--fail", "gpi", "--lang", "ko"])
        .code(2);
    assert!(
        out.stderr.starts_with("오류: 알 수 없는 노드 ID `gpi`"),
        "{}",
        out.stderr
    );
    let out = ripplemap()
        .args([
            "check",
            "tests/fixtures/does-not-exist.toml",
            "--lang",
            "ko",
        ])
        .code(2);
    assert!(
        out.stderr.contains("오류: 연계 목록을 읽을 수 없습니다"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("기대값:"), "{}", out.stderr);
    assert!(
        out.stderr.contains("오류 1건: 연계 목록을 읽지 못했습니다"),
        "{}",
        out.stderr
    );
}

#[test]
fn scenario_errors_read_in_korean_whichever_command_meets_them() {
    for (args, korean, english) in [
        (
            vec!["surge", EGOV, "--at", "nosuch=x10"],
            "오류: 알 수 없는 노드 ID `nosuch`",
            "error: unknown node id `nosuch`",
        ),
        (
            vec!["surge", EGOV, "--at", "a=x10"],
            "오류: 알 수 없는 노드 ID `a`; `PASS 인증서`, `app-kakao`, `app-naver` 중 하나를 찾으셨나요?",
            "error: unknown node id `a`; did you mean `PASS 인증서`, `app-kakao` or `app-naver`?",
        ),
        (
            vec!["surge", EGOV, "--at", "gpki=x10", "--fail-link", "nosuch"],
            "오류: 알 수 없는 연계 ID `nosuch`",
            "error: unknown link id `nosuch`",
        ),
        (
            vec!["impact", EGOV, "--fail-link", "nosuch"],
            "오류: 알 수 없는 연계 ID `nosuch`",
            "error: unknown link id `nosuch`",
        ),
        (
            vec!["cuts", EGOV, "--target", "nosuch"],
            "오류: 알 수 없는 노드 ID `nosuch`",
            "error: unknown node id `nosuch`",
        ),
        (
            vec!["surge", EGOV, "--at", "gpki=x10", "--at", "gpki=x2"],
            "오류: `gpki`에 부하 급증이 두 번 지정되었습니다",
            "error: `gpki` is surged twice: give one --at per system",
        ),
        (
            vec!["impact", EGOV, "--fail-where", "agency=nosuch"],
            "오류: `agency=nosuch`에 해당하는 노드가 없습니다",
            "error: no node matches `agency=nosuch`",
        ),
    ] {
        let ko = ripplemap().args(&args).args(["--lang", "ko"]).code(2);
        assert!(ko.stderr.starts_with(korean), "{args:?}: {}", ko.stderr);
        for word in ["unknown", "did you mean", "error:", "surged", "matches"] {
            assert!(!ko.stderr.contains(word), "{word} in {}", ko.stderr);
        }
        let en = ripplemap().args(&args).code(2);
        assert_eq!(en.stderr.trim_end(), english, "{args:?}");
    }
}

/// The ids of a Fluent file, each with the variables its value uses.
fn catalog(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let starts_entry = line.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        if starts_entry {
            let (id, _) = line.split_once(" =").expect("`id = value`");
            assert!(
                ids.insert(id.to_owned(), BTreeSet::new()).is_none(),
                "{id} twice"
            );
            current = Some(id.to_owned());
        } else if line.starts_with('#') {
            current = None;
        }
        if let Some(id) = &current {
            let vars = ids.get_mut(id).expect("current id");
            for (i, _) in line.match_indices('$') {
                let name: String = line[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                vars.insert(name);
            }
        }
    }
    ids
}

/// Every message id used in the source: the first argument of `msg(` and `msg_with(`,
/// the strings passed as message ids to the helpers that take lists of them, and the
/// catalog keys of diagnostics.
fn used_ids(known: &BTreeSet<&String>) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices('"') {
                let rest = &text[i + 1..];
                let Some(end) = rest.find('"') else { continue };
                let lit = &rest[..end];
                let looks_like_id = lit.contains('-')
                    && lit
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && lit.starts_with(|c: char| c.is_ascii_lowercase());
                // Message ids are the hyphenated literals whose first word is one of
                // the catalog's prefixes.
                let prefix = lit.split('-').next().unwrap_or_default();
                let catalog_prefix = known.iter().any(|id| id.split('-').next() == Some(prefix));
                if looks_like_id && catalog_prefix && !is_not_a_message(lit) {
                    used.insert(lit.to_owned());
                }
            }
            let _ = Path::new(&path);
        }
    }
    used
}

/// Hyphenated literals of the source that share a prefix with message ids but are not
/// messages (rule ids, CSS classes, element ids).
fn is_not_a_message(lit: &str) -> bool {
    [
        "diagram-missing",
        "by-agency",
        "by-grade",
        "grade-inversion",
        "single-site",
        "false-redundancy",
        "sync-cycle",
        "external-hard",
        "async-zero-tolerance",
        "no-agency",
        "change-system",
        "change-link",
    ]
    .contains(&lit)
}

#[test]
fn the_catalog_has_every_message_in_both_languages_with_the_same_variables() {
    let en = catalog(ripplemap::lang::EN_FTL);
    let ko = catalog(ripplemap::lang::KO_FTL);
    let only_en: Vec<&String> = en.keys().filter(|k| !ko.contains_key(*k)).collect();
    let only_ko: Vec<&String> = ko.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(only_en.is_empty(), "only in en.ftl: {only_en:?}");
    assert!(only_ko.is_empty(), "only in ko.ftl: {only_ko:?}");
    for (id, vars) in &en {
        assert_eq!(vars, &ko[id], "the variables of {id}");
    }
    let known: BTreeSet<&String> = en.keys().collect();
    let used = used_ids(&known);
    let missing: Vec<&String> = used.iter().filter(|id| !en.contains_key(*id)).collect();
    assert!(
        missing.is_empty(),
        "used in src/ but not in the catalog: {missing:?}"
    );
    // And every message parses and is found (a syntax error drops the entry).
    for id in en.keys() {
        for lang in [ripplemap::lang::Lang::En, ripplemap::lang::Lang::Ko] {
            assert!(lang.has(id), "{id} does not parse in {lang:?}");
        }
    }
}
