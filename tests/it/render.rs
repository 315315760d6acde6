//! Diagrams: DOT parses back with graphviz-rust, DOT and Mermaid snapshots, hostile names in
//! every format, SVG and PNG through Graphviz, the HTML report in headless Chromium, large
//! inventories, and `out/` kept in step with the renderer.
//!
//! Graphviz and Chromium tests skip when the tool is missing, unless
//! `RIPPLEMAP_REQUIRE_TOOLS` is set (CI sets it), in which case a missing tool fails them.

use ripplemap::lang::Lang;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ripplemap::render::{dot, html, mermaid, svg};
use ripplemap::view::{Around, Cluster, Mark, View, ViewError, ViewOptions};
use ripplemap::{Change, Graph, Scenario};

use crate::support::{ripplemap, text};

fn dot_text(view: &View) -> String {
    text(|w| dot::write(view, Lang::En, w))
}

fn mermaid_text(view: &View) -> String {
    text(|w| mermaid::write(view, Lang::En, w))
}

fn html_text(view: &View, svg: Option<&str>) -> String {
    let diagram = match svg {
        Some(svg) => html::Diagram::Svg(svg),
        None => html::Diagram::Missing {
            install: svg::INSTALL_HINT,
        },
    };
    text(|w| html::write(view, Lang::En, diagram, w))
}

/// The image as `render` makes it: refused when too large, else laid out by Graphviz.
fn image_of(view: &View, image: svg::Image) -> Result<Vec<u8>, svg::ImageError> {
    svg::check_size(view)?;
    svg::layout(dot::graph(view, Lang::En), image)
}

fn svg_of(view: &View) -> Result<String, svg::ImageError> {
    svg::check_size(view)?;
    svg::svg(dot::graph(view, Lang::En))
}

fn graph(path: &str) -> Graph {
    Graph::new(ripplemap::load(Path::new(path)).expect("inventory loads"))
}

fn fail<'g>(g: &'g Graph, ids: &[&str], opts: &ViewOptions) -> View<'g> {
    let imp = g
        .impact(&Scenario {
            failed: ids.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        })
        .expect("scenario evaluates");
    View::for_impact(g, &imp, opts)
}

fn change<'g>(g: &'g Graph, ids: &[&str], opts: &ViewOptions) -> View<'g> {
    let ch = g
        .change(&Change {
            systems: ids.iter().map(|s| s.to_string()).collect(),
            links: vec![],
        })
        .expect("change evaluates");
    View::for_change(g, &ch, opts)
}

/// The tool on the PATH, or `None` (skip) when it is missing and tools are not required.
fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("RIPPLEMAP_REQUIRE_TOOLS").is_none(),
            "`{name}` is not installed but RIPPLEMAP_REQUIRE_TOOLS is set"
        );
        eprintln!("skipped: `{name}` is not installed");
    }
    found
}

fn parses(dot_text: &str) {
    if let Err(e) = graphviz_rust::parse(dot_text) {
        panic!("DOT does not parse back: {e}\n{dot_text}");
    }
}

#[test]
fn dot_parses_back_for_every_kind_of_view() {
    let g = graph("inventories/korea-egov.toml");
    let opts = ViewOptions::default();
    let agency = ViewOptions {
        cluster: Cluster::Agency,
        ..Default::default()
    };
    let around = ViewOptions {
        around: Some(Around::new(&g, "gpki", 2).expect("gpki exists")),
        cluster: Cluster::None,
        full: false,
    };
    for view in [
        View::map(&g, &opts),
        View::map(&g, &around),
        fail(&g, &["gpki"], &opts),
        fail(&g, &["nirs-daejeon"], &agency),
        fail(&g, &["gpki"], &around),
        change(&g, &["share-center"], &opts),
    ] {
        let text = dot_text(&view);
        parses(&text);
        // The model graphviz-rust parses is the model we built.
        assert_eq!(
            graphviz_rust::parse(&text).expect("parses"),
            dot::graph(&view, Lang::En)
        );
    }
}

#[test]
fn snapshot_dot_and_mermaid_of_the_k_of_n_lesson() {
    let g = graph("inventories/teach-k-of-n.toml");
    let view = fail(&g, &["bank-a", "bank-b"], &ViewOptions::default());
    insta::assert_snapshot!("dot_k_of_n_failure", dot_text(&view));
    insta::assert_snapshot!("mermaid_k_of_n_failure", mermaid_text(&view));
    let g = graph("inventories/teach-active-active.toml");
    let view = change(&g, &["dc-a"], &ViewOptions::default());
    insta::assert_snapshot!("mermaid_active_active_change", mermaid_text(&view));
}

#[test]
fn impact_view_marks_states_hours_paths_and_groups() {
    let g = graph("inventories/teach-k-of-n.toml");
    let view = fail(&g, &["bank-a", "bank-b"], &ViewOptions::default());
    let mark = |id: &str| view.node(id).map(|n| n.mark);
    assert_eq!(mark("bank-a"), Some(Mark::Seed));
    assert_eq!(mark("payments"), Some(Mark::Down(2.0)));
    assert_eq!(mark("payroll"), Some(Mark::Down(2.0)));
    assert_eq!(mark("bank-c"), Some(Mark::Unaffected));
    let witness: Vec<&str> = view
        .edges
        .iter()
        .filter(|e| e.witness)
        .map(|e| e.link.id.as_str())
        .collect();
    assert_eq!(witness, ["payments-bank-b", "payroll->payments"]);
    let badges: Vec<(u32, u32, bool)> = view
        .edges
        .iter()
        .filter_map(|e| e.group.as_ref().map(|b| (b.min, b.size, b.labelled)))
        .collect();
    assert_eq!(badges, [(2, 3, true), (2, 3, false), (2, 3, false)]);
    let text = dot_text(&view);
    assert!(text.contains("2/3 banks"), "{text}");
    assert!(text.contains("down at 2 h"), "{text}");
    assert!(text.contains("async 2h"), "{text}");
    assert_eq!(view.tally.by_grade[0], ("grade 1".to_owned(), [1, 0]));
}

#[test]
fn scenario_views_collapse_the_unaffected_rest_into_counted_nodes() {
    let g = graph("inventories/korea-egov.toml");
    let imp = g
        .impact(&Scenario {
            failed: vec!["gpki".into()],
            ..Default::default()
        })
        .expect("evaluates");
    let view = View::for_impact(&g, &imp, &ViewOptions::default());
    // Every affected node is drawn, and so is every direct provider of one.
    for a in &imp.affected {
        assert!(view.node(a.id).is_some(), "{} missing", a.id);
    }
    for e in &view.edges {
        assert!(view.node(&e.link.provider).is_some() && view.node(&e.link.consumer).is_some());
    }
    let hidden: usize = view.collapsed.iter().map(|c| c.nodes).sum();
    assert!(hidden > 0, "the sample has unaffected nodes to collapse");
    assert_eq!(view.nodes.len() + hidden, g.node_count());
    assert!(view.collapsed.iter().all(|c| c.affected == 0));
    // --full draws everything.
    let full = View::for_impact(
        &g,
        &imp,
        &ViewOptions {
            full: true,
            ..Default::default()
        },
    );
    assert_eq!(full.nodes.len(), g.node_count());
    assert!(full.collapsed.is_empty());
}

#[test]
fn around_draws_a_neighbourhood_and_rejects_unknown_ids() {
    let g = graph("inventories/teach-k-of-n.toml");
    let around = Around::new(&g, "payroll", 1).expect("exists");
    let view = View::map(
        &g,
        &ViewOptions {
            around: Some(around),
            ..Default::default()
        },
    );
    let ids: Vec<&str> = view.nodes.iter().map(|n| n.id).collect();
    assert_eq!(ids, ["payments", "payroll"]);
    assert_eq!(view.collapsed.iter().map(|c| c.nodes).sum::<usize>(), 3);
    let err = Around::new(&g, "payrol", 1).expect_err("unknown id");
    assert!(err.to_string().contains("payroll"), "{err}");
}

#[test]
fn output_is_deterministic_and_sorted() {
    let g = graph("inventories/korea-egov.toml");
    let a = fail(&g, &["nirs-daejeon"], &ViewOptions::default());
    let b = fail(&g, &["nirs-daejeon"], &ViewOptions::default());
    assert_eq!(dot_text(&a), dot_text(&b));
    assert_eq!(mermaid_text(&a), mermaid_text(&b));
    assert!(a.nodes.windows(2).all(|w| w[0].id < w[1].id));
    assert!(a.edges.windows(2).all(|w| w[0].link.id < w[1].link.id));
}

#[test]
fn a_large_whole_inventory_is_refused_with_advice_but_a_scenario_is_drawable() {
    let inv = ripplemap::generate::generate(&ripplemap::generate::GenOptions {
        nodes: 6_000,
        links: 24_000,
        seed: 3,
    });
    let g = Graph::new(inv);
    let start = Instant::now();
    let map = View::map(&g, &ViewOptions::default());
    match map.check_drawable() {
        Err(e @ ViewError::TooLarge { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("--around") && msg.contains("--fail"), "{msg}");
        }
        Ok(()) => panic!("a 6,000-node map should be refused"),
    }
    let some = g.inventory().nodes[g.node_count() / 2].id.clone();
    let around = View::map(
        &g,
        &ViewOptions {
            around: Some(Around::new(&g, &some, 1).expect("exists")),
            ..Default::default()
        },
    );
    assert!(around.check_drawable().is_ok());
    let text = dot_text(&around);
    parses(&text);
    assert!(start.elapsed() < Duration::from_secs(60));
}

#[test]
fn big_views_use_external_labels_and_huge_ones_are_not_laid_out() {
    let inv = ripplemap::generate::generate(&ripplemap::generate::GenOptions {
        nodes: 230,
        links: 1_150,
        seed: 1,
    });
    let g = Graph::new(inv);
    let view = View::map(&g, &ViewOptions::default());
    assert!(view.edges.len() > 400 && view.edges.len() <= svg::MAX_LAYOUT_LINKS);
    let text = dot_text(&view);
    // No ordinary edge label anywhere: one would double every rank of the layout.
    assert!(text.contains(" xlabel=\""));
    assert!(
        text.lines()
            .filter(|l| l.contains("\" -> \""))
            .all(|l| !l.contains(" label=\"")),
        "an edge keeps an ordinary label"
    );
    assert!(svg::check_size(&view).is_ok());

    let inv = ripplemap::generate::generate(&ripplemap::generate::GenOptions {
        nodes: 400,
        links: 3_000,
        seed: 1,
    });
    let g = Graph::new(inv);
    let view = View::map(&g, &ViewOptions::default());
    let err = image_of(&view, svg::Image::Svg).expect_err("too large to lay out");
    assert!(matches!(err, svg::ImageError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("--format dot"));
}

/// An inventory built by hand (no loader validation), so even ids can be hostile.
fn hostile_graph() -> Graph {
    let mut inv = ripplemap::load(Path::new("tests/fixtures/render/hostile.toml"))
        .expect("hostile fixture loads");
    let evil = "x\"] -> evil [label=\"<pwn>\\\n&amp;";
    for l in &mut inv.links {
        if l.consumer == "portal" {
            l.consumer = evil.into();
        }
    }
    if let Some(n) = inv.nodes.iter_mut().find(|n| n.id == "portal") {
        n.id = evil.into();
    }
    Graph::new(inv)
}

#[test]
fn hostile_names_never_break_dot_mermaid_or_html() {
    for g in [graph("tests/fixtures/render/hostile.toml"), hostile_graph()] {
        for view in [
            fail(&g, &["auth"], &ViewOptions::default()),
            View::map(
                &g,
                &ViewOptions {
                    cluster: Cluster::Agency,
                    ..Default::default()
                },
            ),
        ] {
            let text = dot_text(&view);
            parses(&text);
            let parsed = graphviz_rust::parse(&text).expect("parses");
            assert_eq!(parsed, dot::graph(&view, Lang::En));
            assert!(!text.contains("<script>"), "{text}");

            let m = mermaid_text(&view);
            for line in m.lines().skip(4) {
                // Inside a flowchart every quote opens or closes a caption: pairs only,
                // and no caption holds a raw markup character.
                assert_eq!(line.matches('"').count() % 2, 0, "{line}");
                assert!(!line.contains('<') || line.contains("<br>"), "{line}");
                assert!(!line.contains('\\'), "{line}");
            }

            let page = html_text(&view, None);
            assert!(!page.contains("<script"), "{page}");
            assert!(page.contains("A&amp;B &lt;Ministry&gt;") || view.rows.is_empty());
        }
    }
}

#[test]
fn hostile_names_survive_graphviz_into_svg_and_html() {
    if tool("dot").is_none() {
        return;
    }
    let g = hostile_graph();
    let view = fail(&g, &["auth"], &ViewOptions::default());
    let image = svg_of(&view).expect("dot lays the hostile view out");
    assert!(image.contains("<svg"), "{image}");
    assert!(!image.contains("<script"), "{image}");
    assert!(image.contains("&lt;script&gt;") || image.contains("&lt;b&gt;"));
    // Graphviz drew exactly the nodes of the model: no id or label leaked into syntax.
    assert_eq!(
        image.matches("class=\"node\"").count(),
        node_count(&dot::graph(&view, Lang::En)),
        "{image}"
    );
    let page = html_text(&view, Some(&image));
    assert!(!page.contains("<script"));
    assert_eq!(page.matches("<svg").count(), 1);
}

/// Node statements in a DOT model, subgraphs included.
fn node_count(g: &graphviz_rust::dot_structures::Graph) -> usize {
    use graphviz_rust::dot_structures::{Graph as G, Stmt};
    fn count(stmts: &[Stmt]) -> usize {
        stmts
            .iter()
            .map(|s| match s {
                Stmt::Node(_) => 1,
                Stmt::Subgraph(sg) => count(&sg.stmts),
                _ => 0,
            })
            .sum()
    }
    match g {
        G::Graph { stmts, .. } | G::DiGraph { stmts, .. } => count(stmts),
    }
}

#[test]
fn svg_and_png_are_produced_with_graphviz() {
    if tool("dot").is_none() {
        return;
    }
    let g = graph("inventories/korea-egov.toml");
    let view = fail(
        &g,
        &["gpki"],
        &ViewOptions {
            around: Some(Around::new(&g, "gpki", 1).expect("exists")),
            ..Default::default()
        },
    );
    let image = svg_of(&view).expect("svg");
    assert!(image.contains("<svg") && image.contains("</svg>"));
    // Hangul reaches the SVG as text, with the CJK font asked for.
    assert!(image.contains("행정전자서명 인증관리센터"));
    assert!(image.contains("Noto Sans CJK KR"));
    let png = image_of(&view, svg::Image::Png).expect("png");
    assert_eq!(png.get(..8), Some(&b"\x89PNG\r\n\x1a\n"[..]));
    assert!(png.len() > 10_000);
}

#[test]
fn graphviz_lays_out_the_whole_sample_in_every_cluster_mode() {
    if tool("dot").is_none() {
        return;
    }
    // Clusters plus cycles crash Graphviz's old ranker; every mode must lay out.
    let g = graph("inventories/korea-egov.toml");
    for cluster in [Cluster::Site, Cluster::Agency, Cluster::None] {
        let view = View::map(
            &g,
            &ViewOptions {
                cluster,
                ..Default::default()
            },
        );
        let image = svg_of(&view).unwrap_or_else(|e| panic!("{cluster:?}: {e}"));
        assert!(image.contains("</svg>"));
    }
}

/// Runs a command, killing it after `limit`; returns whether it exited successfully.
fn run_with_limit(cmd: &mut Command, limit: Duration) -> bool {
    let Ok(mut child) = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn() else {
        return false;
    };
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return status.success();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn chromium(profile: &Path) -> Option<Command> {
    let bin = tool("chromium")?;
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--window-size=1400,1800",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    Some(cmd)
}

#[test]
fn html_report_is_self_contained_and_loads_in_headless_chromium() {
    if tool("dot").is_none() {
        return;
    }
    let g = graph("inventories/korea-egov.toml");
    let view = fail(&g, &["gpki"], &ViewOptions::default());
    let image = svg_of(&view).expect("svg");
    let page = html_text(&view, Some(&image));

    // Nothing to fetch: no scripts, no links, no sources, no URLs but SVG namespaces,
    // and a policy that would block any fetch anyway.
    assert!(page.contains("Content-Security-Policy"));
    assert!(page.contains("default-src 'none'"));
    for bad in ["<script", "<link", "src=", "href=", "url(", "@import"] {
        assert!(!page.contains(bad), "the report contains {bad}");
    }
    let urls = page
        .replace("xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace("xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "");
    assert!(!urls.contains("http:") && !urls.contains("https:"));
    for id in [
        "id=\"diagram\"",
        "id=\"affected\"",
        "id=\"by-agency\"",
        "id=\"by-grade\"",
    ] {
        assert!(page.contains(id), "{id} missing");
    }
    assert_eq!(
        page.matches("<tr>").count(),
        1 + view.rows.len() + view.tally.by_agency.len() + 2 + view.tally.by_grade.len() + 2
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("gpki.html");
    std::fs::write(&file, &page).expect("write report");
    let url = format!("file://{}", file.display());

    let Some(mut cmd) = chromium(&dir.path().join("profile-dom")) else {
        return;
    };
    let netlog = dir.path().join("net.json");
    let out = cmd
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg("--net-log-capture-mode=Everything")
        .arg("--dump-dom")
        .arg(&url)
        .stderr(Stdio::null())
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium --dump-dom failed");
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(dom.contains("<svg"), "no SVG in the DOM");
    assert!(
        dom.contains("id=\"affected\""),
        "no affected table in the DOM"
    );
    assert!(dom.contains("id=\"by-agency\"") && dom.contains("id=\"by-grade\""));
    assert!(dom.contains("새올행정시스템"), "Hangul lost in the DOM");
    let fetched = page_requests(&netlog);
    assert!(fetched.is_empty(), "the report fetched {fetched:?}");

    // The same check on a page that does fetch proves the net log catches page requests.
    let control = dir.path().join("control.html");
    std::fs::write(
        &control,
        "<html><body><img src=\"http://ripplemap-control.invalid/x.png\"></body></html>",
    )
    .expect("write control page");
    let control_log = dir.path().join("control-net.json");
    let Some(mut cmd) = chromium(&dir.path().join("profile-control")) else {
        return;
    };
    cmd.arg(format!("--log-net-log={}", control_log.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", control.display()));
    assert!(run_with_limit(&mut cmd, Duration::from_secs(120)));
    let fetched = page_requests(&control_log);
    assert!(
        fetched
            .iter()
            .any(|u| u.contains("ripplemap-control.invalid")),
        "the net log missed a page request: {fetched:?}"
    );

    let shot = dir.path().join("shot.png");
    let Some(mut cmd) = chromium(&dir.path().join("profile-shot")) else {
        return;
    };
    cmd.arg(format!("--screenshot={}", shot.display()))
        .arg(&url);
    assert!(
        run_with_limit(&mut cmd, Duration::from_secs(120)),
        "chromium --screenshot failed"
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert_eq!(png.get(..8), Some(&b"\x89PNG\r\n\x1a\n"[..]));
    assert!(png.len() > 10_000, "screenshot is nearly empty");
}

/// http(s) URLs in a Chromium net log, without the browser's own service calls (update
/// checks, clock and account probes to Google hosts), which no page asks for.
fn page_requests(netlog: &Path) -> Vec<String> {
    let log = std::fs::read_to_string(netlog).expect("net log written");
    let mut urls: Vec<String> = log
        .split("\"url\":\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .filter(|u| {
            let host = u.split('/').nth(2).unwrap_or("");
            let host = host.split(':').next().unwrap_or("");
            !["google.com", "googleapis.com", "gstatic.com", "gvt1.com"]
                .iter()
                .any(|own| host == *own || host.ends_with(&format!(".{own}")))
        })
        .map(str::to_owned)
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

/// The `run NAME ARGS…` lines of out/render.sh: the examples and how they are made.
fn examples() -> Vec<(String, Vec<String>)> {
    let script = std::fs::read_to_string("out/render.sh").expect("out/render.sh exists");
    script
        .lines()
        .filter_map(|l| l.strip_prefix("run "))
        .map(|l| {
            let mut words = l.split_whitespace().map(str::to_owned);
            let name = words.next().unwrap_or_default();
            (name, words.collect())
        })
        .collect()
}

#[test]
fn out_dot_files_match_the_renderer() {
    let examples = examples();
    assert!(examples.len() >= 4, "out/render.sh lists the examples");
    for (name, args) in examples {
        let out = ripplemap()
            .arg("render")
            .arg("inventories/korea-egov.toml")
            .args(&args)
            .args(["--format", "dot"])
            .run();
        assert!(out.code == Some(0), "render {args:?} failed: {out:?}");
        let fresh = out.stdout;
        let committed = std::fs::read_to_string(format!("out/{name}.dot"))
            .unwrap_or_else(|e| panic!("out/{name}.dot: {e}"));
        assert!(
            fresh == committed,
            "out/{name}.dot is stale: run out/render.sh and commit out/"
        );
        assert!(
            Path::new(&format!("out/{name}.svg")).is_file(),
            "out/{name}.svg missing"
        );
    }
}

#[test]
fn out_mermaid_matches_the_renderer() {
    let g = graph("inventories/korea-egov.toml");
    let view = change(&g, &["share-center"], &ViewOptions::default());
    let committed = std::fs::read_to_string("out/change-share-center.mmd")
        .expect("out/change-share-center.mmd");
    assert!(
        mermaid_text(&view) == committed,
        "out/change-share-center.mmd is stale: run out/render.sh and commit out/"
    );
}
