//! Deterministic benchmark-corpus generator.
//!
//! ```text
//! cargo run --release --example gen_corpus -- OUT_DIR N [MAX_ITEMS_PER_DOC]
//! ```
//!
//! Writes a valid bilingual (ja/en) plansite site with `N` traceable items into `OUT_DIR`:
//! `plansite.toml`, a basic plan (goals and policies), four annual plans (measures, one per
//! fiscal year), an annual-plans overview document and a glossary of 50 terms. Every item has
//! its home heading (`### title {#ID}`) on its own section page, so `N` items give about `N`
//! section pages per language (plus one chapter page per 25 items and one overview page per
//! document). The Markdown uses headings, lists, tables, fenced `rust` code, footnotes,
//! `[](@ID)` cross-references, alerts and glossary terms; English files carry a correct
//! `translated_from` hash, so `plansite check` reports no errors and no translation warnings.
//!
//! With `MAX_ITEMS_PER_DOC`, the basic plan and each annual plan are split into volumes (separate
//! documents, same fiscal year) of at most that many items; without it there are 7 documents
//! whatever `N` is, so each has `N/5` to `N/4` sections.
//!
//! The output is a pure function of the arguments: the only "randomness" is a fixed-seed xorshift.
//! An existing `OUT_DIR/content` is deleted first.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Items per chapter page.
const CHAPTER: usize = 25;
/// Fiscal years of the annual plans.
const YEARS: [i32; 4] = [2021, 2022, 2023, 2024];

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The FNV-1a 64-bit hash plansite uses for `translated_from` (of the trimmed ja body).
fn content_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.trim().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Glossary: (ja headword, reading, en headword).
const TERMS: [(&str, &str, &str); 50] = [
    (
        "情報セキュリティ",
        "じょうほうせきゅりてぃ",
        "information security",
    ),
    (
        "重要インフラ",
        "じゅうよういんふら",
        "critical infrastructure",
    ),
    ("サイバー攻撃", "さいばーこうげき", "cyber attack"),
    ("標的型攻撃", "ひょうてきがたこうげき", "targeted attack"),
    ("脆弱性", "ぜいじゃくせい", "vulnerability"),
    ("マルウェア", "まるうぇあ", "malware"),
    ("不正アクセス", "ふせいあくせす", "unauthorized access"),
    ("暗号化", "あんごうか", "encryption"),
    (
        "多要素認証",
        "たようそにんしょう",
        "multi-factor authentication",
    ),
    (
        "インシデント対応",
        "いんしでんとたいおう",
        "incident response",
    ),
    (
        "事業継続計画",
        "じぎょうけいぞくけいかく",
        "business continuity plan",
    ),
    ("リスク評価", "りすくひょうか", "risk assessment"),
    ("サプライチェーン", "さぷらいちぇーん", "supply chain"),
    ("クラウドサービス", "くらうどさーびす", "cloud service"),
    (
        "個人情報保護",
        "こじんじょうほうほご",
        "personal information protection",
    ),
    ("情報共有", "じょうほうきょうゆう", "information sharing"),
    ("ゼロトラスト", "ぜろとらすと", "zero trust"),
    ("ログ監視", "ろぐかんし", "log monitoring"),
    ("ファイアウォール", "ふぁいあうぉーる", "firewall"),
    (
        "侵入検知システム",
        "しんにゅうけんちしすてむ",
        "intrusion detection system",
    ),
    ("セキュリティ監査", "せきゅりてぃかんさ", "security audit"),
    ("人材育成", "じんざいいくせい", "human resource development"),
    ("普及啓発", "ふきゅうけいはつ", "awareness raising"),
    ("情報漏えい", "じょうほうろうえい", "information leakage"),
    ("ランサムウェア", "らんさむうぇあ", "ransomware"),
    ("フィッシング", "ふぃっしんぐ", "phishing"),
    (
        "ソフトウェア更新",
        "そふとうぇあこうしん",
        "software update",
    ),
    ("アクセス制御", "あくせすせいぎょ", "access control"),
    ("電子署名", "でんししょめい", "electronic signature"),
    (
        "認証基盤",
        "にんしょうきばん",
        "authentication infrastructure",
    ),
    ("統一基準", "とういつきじゅん", "unified standards"),
    (
        "分野横断的演習",
        "ぶんやおうだんてきえんしゅう",
        "cross-sector exercise",
    ),
    (
        "相互依存性解析",
        "そうごいぞんせいかいせき",
        "interdependency analysis",
    ),
    ("安全基準", "あんぜんきじゅん", "safety standards"),
    ("情報システム", "じょうほうしすてむ", "information system"),
    ("セキュリティパッチ", "せきゅりてぃぱっち", "security patch"),
    ("ボットネット", "ぼっとねっと", "botnet"),
    ("迷惑メール", "めいわくめーる", "spam email"),
    ("IoT機器", "あいおーてぃーきき", "IoT devices"),
    (
        "制御システム",
        "せいぎょしすてむ",
        "industrial control system",
    ),
    ("データ保護", "でーたほご", "data protection"),
    ("国際連携", "こくさいれんけい", "international cooperation"),
    ("研究開発", "けんきゅうかいはつ", "research and development"),
    ("技術基盤", "ぎじゅつきばん", "technology base"),
    ("評価指標", "ひょうかしひょう", "evaluation indicators"),
    ("PDCAサイクル", "ぴーでぃーしーえーさいくる", "PDCA cycle"),
    (
        "セキュリティ・バイ・デザイン",
        "せきゅりてぃ・ばい・でざいん",
        "security by design",
    ),
    ("脅威情報", "きょういじょうほう", "threat intelligence"),
    (
        "最高情報セキュリティ責任者",
        "さいこうじょうほうせきゅりてぃせきにんしゃ",
        "chief information security officer",
    ),
    (
        "情報セキュリティポリシー",
        "じょうほうせきゅりてぃぽりしー",
        "information security policy",
    ),
];

const JA_SENTENCES: [&str; 12] = [
    "政府は、情報セキュリティ対策を国家の重要課題と位置付け、官民が連携して総合的に推進する。",
    "重要インフラにおけるIT障害の発生を限りなくゼロにすることを目指し、必要な対策を段階的に実施する。",
    "各府省庁は、統一基準に基づく自己点検を毎年度実施し、その結果を踏まえて対策の見直しを行う。",
    "サイバー攻撃の手口は年々高度化・巧妙化しており、従来の境界防御だけでは十分な対応が困難となっている。",
    "脆弱性情報を迅速に収集・分析し、関係機関と共有することにより、被害の未然防止と拡大防止を図る。",
    "企業においては、経営層が情報セキュリティを経営上のリスクとして認識し、必要な投資を行うことが求められる。",
    "個人に対しては、普及啓発活動を通じて基本的な対策の実践を促し、安心してITを利用できる環境を整備する。",
    "専門的な知識と技能を有する人材の不足は深刻であり、産学官が協力して人材育成に取り組む必要がある。",
    "国際的な連携を強化し、各国の関係機関との間で脅威情報の交換と共同演習を定期的に行う。",
    "新たな技術の導入に当たっては、設計段階から情報セキュリティを確保する考え方を徹底する。",
    "施策の実施状況については評価指標を設定し、毎年度その達成度を検証して公表する。",
    "事案発生時には、関係機関が迅速かつ的確に対処できるよう、連絡体制と手順をあらかじめ明確にしておく。",
];

const EN_SENTENCES: [&str; 12] = [
    "The government treats information security as a national priority and promotes it comprehensively, with the public and private sectors working together.",
    "Aiming to reduce IT failures in critical infrastructures as close to zero as possible, the necessary measures are implemented step by step.",
    "Each ministry carries out a self-assessment under the unified standards every fiscal year and reviews its measures in the light of the results.",
    "Cyber attack techniques grow more sophisticated every year, and perimeter defence alone is no longer sufficient.",
    "Vulnerability information is collected and analysed quickly and shared with the agencies concerned, to prevent damage and contain its spread.",
    "Businesses are expected to have their management recognise information security as a business risk and make the necessary investments.",
    "Individuals are encouraged, through awareness raising, to practise basic measures, so that everyone can use IT with confidence.",
    "The shortage of people with specialist knowledge and skills is serious; industry, academia and government need to work together on human resource development.",
    "International cooperation is strengthened, with regular exchanges of threat intelligence and joint exercises with agencies abroad.",
    "When new technologies are introduced, information security is ensured from the design stage onward.",
    "Evaluation indicators are set for the implementation of each policy, and achievement is verified and published every fiscal year.",
    "So that the agencies concerned can respond quickly and accurately when an incident occurs, contact arrangements and procedures are defined in advance.",
];

/// Topics used to build item titles: (ja, en).
const TOPICS: [(&str, &str); 16] = [
    (
        "政府機関の対策強化",
        "Strengthening measures in government agencies",
    ),
    (
        "重要インフラの防護",
        "Protection of critical infrastructures",
    ),
    (
        "情報共有体制の整備",
        "Building information-sharing arrangements",
    ),
    (
        "人材の育成と確保",
        "Developing and securing human resources",
    ),
    ("普及啓発の推進", "Promoting awareness raising"),
    ("技術開発の推進", "Promoting technology development"),
    ("国際連携の強化", "Strengthening international cooperation"),
    (
        "事案対処能力の向上",
        "Improving incident-handling capability",
    ),
    ("監査と評価の充実", "Enhancing audits and evaluation"),
    (
        "中小企業の対策支援",
        "Supporting small and medium-sized enterprises",
    ),
    (
        "制御システムの安全確保",
        "Securing industrial control systems",
    ),
    (
        "クラウド利用の安全確保",
        "Securing the use of cloud services",
    ),
    (
        "暗号技術の適切な利用",
        "Proper use of cryptographic technologies",
    ),
    ("サプライチェーン対策", "Supply-chain security measures"),
    ("演習・訓練の実施", "Conducting exercises and drills"),
    (
        "犯罪対策の強化",
        "Strengthening countermeasures against crime",
    ),
];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Goal,
    Policy,
    Measure,
}

struct Item {
    id: String,
    kind: Kind,
    /// 1-based number within its kind (and year, for measures).
    number: usize,
    topic: usize,
    fiscal_year: Option<i32>,
    /// (target, inferred)
    links: Vec<(String, bool)>,
}

impl Item {
    fn title(&self, lang: &str) -> String {
        let (ja, en) = TOPICS[self.topic];
        match (self.kind, lang) {
            (Kind::Goal, "ja") => format!("目標{}：{}を達成する", self.number, ja),
            (Kind::Goal, _) => format!("Goal {}: achieve {}", self.number, lower_first(en)),
            (Kind::Policy, "ja") => format!("施策{}：{}", self.number, ja),
            (Kind::Policy, _) => format!("Policy {}: {}", self.number, en),
            (Kind::Measure, "ja") => format!(
                "具体的施策{}-{}：{}に係る取組",
                self.fiscal_year.unwrap_or(0),
                self.number,
                ja
            ),
            (Kind::Measure, _) => format!(
                "Measure {}-{}: efforts on {}",
                self.fiscal_year.unwrap_or(0),
                self.number,
                lower_first(en)
            ),
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One document's generated files.
struct Doc {
    folder: String,
    id: String,
    /// `None` for the basic plan, the fiscal year for an annual plan.
    year: Option<i32>,
    /// 1-based volume number when a document is split (`MAX_ITEMS_PER_DOC`).
    volume: Option<usize>,
    items: Vec<Item>,
}

/// Splits `items` into documents of at most `max` items (one document when `max` is `None`).
fn volumes(
    base_folder: &str,
    base_id: &str,
    year: Option<i32>,
    items: Vec<Item>,
    max: Option<usize>,
) -> Vec<Doc> {
    let Some(max) = max.filter(|m| *m < items.len()) else {
        return vec![Doc {
            folder: base_folder.into(),
            id: base_id.into(),
            year,
            volume: None,
            items,
        }];
    };
    let mut out = Vec::new();
    let mut rest = items;
    let mut v = 1;
    while !rest.is_empty() {
        let tail = rest.split_off(max.min(rest.len()));
        out.push(Doc {
            folder: format!("{base_folder}-v{v}"),
            id: format!("{base_id}V{v}"),
            year,
            volume: Some(v),
            items: rest,
        });
        rest = tail;
        v += 1;
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 && args.len() != 4 {
        eprintln!("usage: gen_corpus OUT_DIR N [MAX_ITEMS_PER_DOC]");
        std::process::exit(2);
    }
    let out = PathBuf::from(&args[1]);
    let n: usize = args[2].parse().expect("N must be a number");
    // Optional: split the basic plan and each annual plan into volumes of at most this many
    // items (each volume is its own document, so its table of contents stays short).
    let max_per_doc: Option<usize> = args
        .get(3)
        .map(|m| m.parse().expect("MAX_ITEMS_PER_DOC must be a number"))
        .filter(|m| *m > 0);
    assert!(n >= 6, "N must be at least 6");

    let goals = (n / 20).max(1);
    let policies = (n * 18 / 100).max(1);
    let measures = n - goals - policies;
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);

    // ---- items -------------------------------------------------------------------------
    let mut bp_items = Vec::new();
    for g in 1..=goals {
        bp_items.push(Item {
            id: format!("BP-G{g}"),
            kind: Kind::Goal,
            number: g,
            topic: (g - 1) % TOPICS.len(),
            fiscal_year: None,
            links: vec![],
        });
    }
    for p in 1..=policies {
        let g = (p - 1) % goals + 1;
        let mut links = vec![(format!("BP-G{g}"), false)];
        if p % 4 == 0 && goals > 1 {
            let g2 = (g + goals / 2 - 1) % goals + 1;
            if g2 != g {
                links.push((format!("BP-G{g2}"), true));
            }
        }
        bp_items.push(Item {
            id: format!("BP-P{p}"),
            kind: Kind::Policy,
            number: p,
            topic: (p - 1) % TOPICS.len(),
            fiscal_year: None,
            links,
        });
    }
    let mut docs = volumes("basic-plan", "BP", None, bp_items, max_per_doc);
    for (yi, year) in YEARS.iter().enumerate() {
        let count = measures / YEARS.len() + usize::from(yi < measures % YEARS.len());
        let mut items = Vec::new();
        for m in 1..=count {
            let p = (m - 1) % policies + 1;
            let mut links = vec![(format!("BP-P{p}"), false)];
            if m % 3 == 0 && policies > 1 {
                let p2 = (p + policies / 3) % policies + 1;
                if p2 != p {
                    links.push((format!("BP-P{p2}"), true));
                }
            }
            items.push(Item {
                id: format!("AP{year}-M{m}"),
                kind: Kind::Measure,
                number: m,
                topic: (m + yi * 5) % TOPICS.len(),
                fiscal_year: Some(*year),
                links,
            });
        }
        docs.extend(volumes(
            &format!("annual-plan-{year}"),
            &format!("AP{year}"),
            Some(*year),
            items,
            max_per_doc,
        ));
    }

    // ---- output ------------------------------------------------------------------------
    let content = out.join("content");
    if content.exists() {
        fs::remove_dir_all(&content).expect("remove old content/");
    }
    fs::create_dir_all(&content).expect("create content/");
    write(
        &out.join("plansite.toml"),
        "# Generated by examples/gen_corpus.rs (benchmark corpus)\n\
         base_url = \"https://bench.example.org\"\n\
         default_language = \"ja\"\n\
         languages = [\"ja\", \"en\"]\n\
         theme = \"default\"\n\
         # items.yaml of a 50,000-item corpus is just over the default 4 MiB limit\n\
         max_file_mib = 64\n\n\
         [title]\n\
         ja = \"情報セキュリティ基本計画（ベンチマーク用）\"\n\
         en = \"Information Security Basic Plans (benchmark corpus)\"\n",
    );

    let mut pages = 0usize;
    let mut first_section = String::new();
    for (di, doc) in docs.iter().enumerate() {
        let dir = content.join(&doc.folder);
        fs::create_dir_all(&dir).unwrap();
        write_document_yaml(&dir, doc, di);
        write_items_yaml(&dir, doc);
        pages += write_sections(&dir, doc, &mut rng, &mut first_section);
    }

    // The annual-plans overview document.
    let dir = content.join("annual-plans");
    fs::create_dir_all(&dir).unwrap();
    write(
        &dir.join("document.yaml"),
        "id: APS\nkind: annual-plans\nslug: annual-plans\norder: 99\n\
         title: { ja: 年度計画, en: Annual Plans }\n\
         period: { from: FY2021, to: FY2024 }\nstatus: reference\n",
    );
    let bp = docs[0].id.clone();
    let ap = |y: i32| {
        docs.iter()
            .find(|d| d.year == Some(y))
            .map_or(String::new(), |d| d.id.clone())
    };
    let ja_body = format!(
        "年度計画は、[](@{bp})に基づき毎年度策定される。\n\n\
         | 年度 | 計画 |\n|---|---|\n{}\n\n{}\n",
        YEARS
            .iter()
            .map(|y| format!("| {y}年度 | [](@{}) |", ap(*y)))
            .collect::<Vec<_>>()
            .join("\n"),
        JA_SENTENCES[10]
    );
    let en_body = format!(
        "The annual plans are decided every fiscal year under [](@{bp}).\n\n\
         | Fiscal year | Plan |\n|---|---|\n{}\n\n{}\n",
        YEARS
            .iter()
            .map(|y| format!("| FY{y} | [](@{}) |", ap(*y)))
            .collect::<Vec<_>>()
            .join("\n"),
        EN_SENTENCES[10]
    );
    write_pair(
        &dir,
        "001-overview",
        "APS-OVERVIEW",
        ("年度計画の概要", "Overview of the annual plans"),
        None,
        &ja_body,
        &en_body,
    );
    pages += 1;

    // The glossary.
    let dir = content.join("glossary");
    fs::create_dir_all(&dir).unwrap();
    write(
        &dir.join("document.yaml"),
        "id: GLOSSARY\nkind: glossary\nslug: glossary\norder: 1000\ntitle: { ja: 用語集, en: Glossary }\n",
    );
    let mut terms = String::new();
    for (i, (ja, reading, en)) in TERMS.iter().enumerate() {
        let _ = write!(
            terms,
            "- id: T-{:02}\n  ja: {ja}\n  reading: {reading}\n  en: {en}\n  en_official: {}\n  \
             definition:\n    ja: \"{ja}に関する用語。{}\"\n    en: \"A term about {en}. {}\"\n  \
             source: {{ ref: {first_section}, ja: \"{ja}\", en: \"{en}\" }}\n",
            i + 1,
            i % 2 == 0,
            JA_SENTENCES[i % 12],
            EN_SENTENCES[i % 12],
        );
    }
    write(&dir.join("terms.yaml"), &terms);

    eprintln!(
        "gen_corpus: {} items ({goals} goals, {policies} policies, {measures} measures) in {} documents, \
         {} glossary terms, {pages} sections × 2 languages into {}",
        n,
        docs.len() + 2,
        TERMS.len(),
        out.display()
    );
}

fn write(path: &Path, text: &str) {
    fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn write_document_yaml(dir: &Path, doc: &Doc, di: usize) {
    let (vol_ja, vol_en, slug_suffix) = match doc.volume {
        Some(v) => (
            format!("（第{v}分冊）"),
            format!(", volume {v}"),
            format!("-v{v}"),
        ),
        None => (String::new(), String::new(), String::new()),
    };
    let text = match doc.year {
        None => format!(
            "id: {id}\nkind: basic-plan\nslug: basic-plan{slug_suffix}\norder: {order}\n\
             title:\n  ja: 情報セキュリティ基本計画（ベンチマーク用）{vol_ja}\n  en: Information Security Basic Plan (benchmark corpus{vol_en})\n\
             title_en_official: false\n\
             subtitle: {{ ja: 合成された文書, en: A generated document }}\n\
             decided: 2021-02-02\n\
             decided_by: {{ ja: 情報セキュリティ政策会議, en: Information Security Policy Council }}\n\
             period: {{ from: FY2021, to: FY2024 }}\n\
             status: in-force\n\
             source: {{ ja: examples/gen_corpus.rs が生成, en: Generated by examples/gen_corpus.rs }}\n\
             facts:\n  - label: {{ ja: 項目数, en: Number of items }}\n    value: {{ ja: \"{n}\", en: \"{n}\" }}\n    source: {{ ja: 生成, en: generated }}\n",
            id = doc.id,
            order = 10 + di,
            n = doc.items.len(),
        ),
        Some(year) => format!(
            "id: {id}\nkind: annual-plan\nslug: annual-plan-{year}{slug_suffix}\norder: {order}\n\
             title:\n  ja: 年度計画{year}{vol_ja}\n  en: Annual Plan {year}{vol_en}\n\
             title_en_official: true\n\
             decided: {year}-06-{d:02}\n\
             decided_by: {{ ja: 情報セキュリティ政策会議, en: Information Security Policy Council }}\n\
             fiscal_year: {year}\n\
             status: {status}\n\
             source: {{ ja: examples/gen_corpus.rs が生成, en: Generated by examples/gen_corpus.rs }}\n\
             facts:\n  - label: {{ ja: 施策数, en: Number of measures }}\n    value: {{ ja: \"{n}\", en: \"{n}\" }}\n    source: {{ ja: 生成, en: generated }}\n",
            id = doc.id,
            order = 100 + di,
            d = 10 + di % 18,
            status = if year == 2024 {
                "in-force"
            } else {
                "superseded"
            },
            n = doc.items.len(),
        ),
    };
    write(&dir.join("document.yaml"), &text);
}

fn yaml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn write_items_yaml(dir: &Path, doc: &Doc) {
    let mut y = String::with_capacity(doc.items.len() * 300);
    for it in &doc.items {
        let kind = match it.kind {
            Kind::Goal => "goal",
            Kind::Policy => "policy",
            Kind::Measure => "measure",
        };
        let _ = writeln!(y, "- id: {}\n  kind: {kind}", it.id);
        if it.kind == Kind::Policy {
            let _ = writeln!(y, "  number: \"［{}］\"", it.number);
        }
        if let Some(fy) = it.fiscal_year {
            let _ = writeln!(y, "  fiscal_year: {fy}");
        }
        let _ = writeln!(
            y,
            "  title:\n    ja: {}\n    en: {}",
            yaml_str(&it.title("ja")),
            yaml_str(&it.title("en"))
        );
        if it.kind == Kind::Goal {
            let _ = writeln!(y, "  deadline: {{ ja: 2024年度までに, en: By FY2024 }}");
        }
        let _ = writeln!(
            y,
            "  source: {{ ref: {}, ja: \"「{}」\", en: \"\\\"{}\\\"\" }}",
            section_id(&it.id),
            TOPICS[it.topic].0,
            TOPICS[it.topic].1
        );
        if !it.links.is_empty() {
            let kind = if it.kind == Kind::Policy {
                "advances"
            } else {
                "implements"
            };
            let _ = writeln!(y, "  links:\n    {kind}:");
            for (to, inferred) in &it.links {
                if *inferred {
                    let _ = writeln!(
                        y,
                        "      - {{ to: {to}, inferred: true, note: {{ ja: 本文に明示はないが内容から対応付けた。, en: Not stated in the text; linked by the editors from the content. }} }}"
                    );
                } else {
                    let _ = writeln!(y, "      - {to}");
                }
            }
        }
    }
    write(&dir.join("items.yaml"), &y);
}

/// The ID of the section page that is an item's home.
fn section_id(item: &str) -> String {
    format!("{item}-S")
}

fn write_pair(
    dir: &Path,
    stem: &str,
    id: &str,
    titles: (&str, &str),
    parent: Option<&str>,
    ja_body: &str,
    en_body: &str,
) {
    let parent = parent.map(|p| format!("parent: {p}\n")).unwrap_or_default();
    let ja = format!(
        "---\nid: {id}\ntitle: {}\n{parent}source: 生成されたベンチマーク用文書\n---\n\n{}\n",
        yaml_str(titles.0),
        ja_body.trim()
    );
    let en = format!(
        "---\nid: {id}\ntitle: {}\n{parent}source: Generated benchmark document\ntranslation: site\ntranslated_from: {}\n---\n\n{}\n",
        yaml_str(titles.1),
        content_hash(ja_body),
        en_body.trim()
    );
    write(&dir.join(format!("{stem}.ja.md")), &ja);
    write(&dir.join(format!("{stem}.en.md")), &en);
}

/// Writes a document's sections: an overview, a chapter page per `CHAPTER` items and one
/// page per item. Returns the number of section pairs.
fn write_sections(dir: &Path, doc: &Doc, rng: &mut XorShift, first_section: &mut String) -> usize {
    let mut seq = 1usize;
    let overview = format!("{}-OVERVIEW", doc.id);
    let ja = format!(
        "## 概要 {{#overview}}\n\n{}{}\n\n本文書は{}件の項目を収録する。最初の項目は[](@{})である。\n\n\
         > [!NOTE]\n> この文書はベンチマーク用に自動生成されたものである。\n",
        JA_SENTENCES[0],
        JA_SENTENCES[1],
        doc.items.len(),
        doc.items[0].id
    );
    let en = format!(
        "## Overview {{#overview}}\n\n{} {}\n\nThis document holds {} items. The first is [](@{}).\n\n\
         > [!NOTE]\n> This document was generated for benchmarking.\n",
        EN_SENTENCES[0],
        EN_SENTENCES[1],
        doc.items.len(),
        doc.items[0].id
    );
    write_pair(
        dir,
        &format!("{seq:05}-overview"),
        &overview,
        ("概要", "Overview"),
        None,
        &ja,
        &en,
    );
    seq += 1;
    let mut pairs = 1;
    let mut prev_section = overview.clone();

    for (ci, chunk) in doc.items.chunks(CHAPTER).enumerate() {
        let chapter = format!("{}-C{}", doc.id, ci + 1);
        let list_ja: String = chunk
            .iter()
            .map(|it| format!("- [](@{})\n", it.id))
            .collect();
        let list_en = list_ja.clone();
        let ja = format!(
            "## 本章の構成 {{#contents}}\n\n{}\n\n{list_ja}\n前章については[前の節](@{prev_section})を参照。\n",
            JA_SENTENCES[(ci + 2) % 12]
        );
        let en = format!(
            "## Contents of this chapter {{#contents}}\n\n{}\n\n{list_en}\nFor the previous chapter see [the previous section](@{prev_section}).\n",
            EN_SENTENCES[(ci + 2) % 12]
        );
        write_pair(
            dir,
            &format!("{seq:05}-chapter-{}", ci + 1),
            &chapter,
            (&format!("第{}章", ci + 1), &format!("Chapter {}", ci + 1)),
            None,
            &ja,
            &en,
        );
        seq += 1;
        pairs += 1;

        for it in chunk {
            let sid = section_id(&it.id);
            if first_section.is_empty() {
                *first_section = sid.clone();
            }
            let (ja, en) = item_bodies(it, &prev_section, rng);
            let slug = it.id.to_ascii_lowercase();
            write_pair(
                dir,
                &format!("{seq:05}-{slug}"),
                &sid,
                (&it.title("ja"), &it.title("en")),
                Some(&chapter),
                &ja,
                &en,
            );
            seq += 1;
            pairs += 1;
            prev_section = sid;
        }
    }
    pairs
}

/// The ja and en bodies of an item's home section.
fn item_bodies(it: &Item, prev_section: &str, rng: &mut XorShift) -> (String, String) {
    let s0 = rng.below(12);
    let n_sent = 2 + rng.below(3);
    let t0 = rng.below(TERMS.len());
    let with_code = rng.below(3) == 0;
    let with_table = rng.below(2) == 0;
    let with_note = rng.below(5) == 0;
    let rows = 2 + rng.below(4);

    let mut ja = String::with_capacity(4096);
    let mut en = String::with_capacity(4096);

    // Lead paragraph.
    for k in 0..n_sent {
        ja.push_str(JA_SENTENCES[(s0 + k) % 12]);
        if k > 0 {
            en.push(' ');
        }
        en.push_str(EN_SENTENCES[(s0 + k) % 12]);
    }
    let _ = write!(
        ja,
        "前節は[こちら](@{prev_section})を参照されたい[^1]。\n\n"
    );
    let _ = write!(en, " See [the previous section](@{prev_section})[^1].\n\n");

    let _ = write!(
        ja,
        "## 背景 {{#background}}\n\n{}\n\n",
        JA_SENTENCES[(s0 + 5) % 12]
    );
    let _ = write!(
        en,
        "## Background {{#background}}\n\n{}\n\n",
        EN_SENTENCES[(s0 + 5) % 12]
    );

    // The item's home heading and prose.
    let _ = write!(ja, "### {} {{#{}}}\n\n", it.title("ja"), it.id);
    let _ = write!(en, "### {} {{#{}}}\n\n", it.title("en"), it.id);
    let _ = write!(
        ja,
        "{}{}\n\n",
        JA_SENTENCES[(s0 + 7) % 12],
        JA_SENTENCES[(s0 + 8) % 12]
    );
    let _ = write!(
        en,
        "{} {}\n\n",
        EN_SENTENCES[(s0 + 7) % 12],
        EN_SENTENCES[(s0 + 8) % 12]
    );
    for (to, inferred) in &it.links {
        if *inferred {
            let _ = write!(
                ja,
                "また、[](@{to} \"inferred: 本文に明示はない\")にも寄与すると考えられる[^2]。\n\n"
            );
            let _ = write!(
                en,
                "It is also expected to contribute to [](@{to} \"inferred: not stated in the text\")[^2].\n\n"
            );
        } else {
            let _ = write!(ja, "本項目は[](@{to})に対応する。\n\n");
            let _ = write!(en, "This item corresponds to [](@{to}).\n\n");
        }
    }
    // A list naming three glossary terms.
    let _ = write!(ja, "#### 主な取組 {{#actions}}\n\n");
    let _ = write!(en, "#### Main actions {{#actions}}\n\n");
    for k in 0..3 {
        let (tja, _, ten) = TERMS[(t0 + k * 17) % TERMS.len()];
        let _ = writeln!(ja, "- {tja}に関する取組を推進する。");
        let _ = writeln!(en, "- Promote efforts on {ten}.");
    }
    let _ = writeln!(ja, "- ~~旧計画の記述~~は削除した。\n");
    let _ = writeln!(
        en,
        "- The ~~old plan's wording~~ was removed; the **new** wording applies.\n"
    );

    if with_table {
        let _ = write!(
            ja,
            "#### 実施状況 {{#status}}\n\n| 年度 | 指標 | 達成率 |\n|---|---|---:|\n"
        );
        let _ = write!(
            en,
            "#### Status {{#status}}\n\n| Fiscal year | Indicator | Achieved |\n|---|---|---:|\n"
        );
        for r in 0..rows {
            let pct = 40 + rng.below(61);
            let _ = writeln!(ja, "| {}年度 | 評価指標{} | {pct}% |", 2021 + r, r + 1);
            let _ = writeln!(en, "| FY{} | Indicator {} | {pct}% |", 2021 + r, r + 1);
        }
        ja.push('\n');
        en.push('\n');
    }
    if with_code {
        let code = format!(
            "```rust\n/// {id}\nfn check(level: u32) -> Result<(), String> {{\n    if level < {lvl} {{\n        return Err(format!(\"level {{level}} is below {lvl}\"));\n    }}\n    Ok(())\n}}\n```\n\n",
            id = it.id,
            lvl = 1 + rng.below(9)
        );
        ja.push_str(&code);
        en.push_str(&code);
    }
    if with_note {
        let _ = write!(ja, "> [!NOTE]\n> 本項目の記述は生成されたものである。\n\n");
        let _ = write!(en, "> [!NOTE]\n> The text of this item is generated.\n\n");
    }
    let _ = write!(
        ja,
        "## 今後の方向性 {{#outlook}}\n\n{}\n\n",
        JA_SENTENCES[(s0 + 10) % 12]
    );
    let _ = write!(
        en,
        "## Outlook {{#outlook}}\n\n{}\n\n",
        EN_SENTENCES[(s0 + 10) % 12]
    );

    let _ = writeln!(ja, "[^1]: 前節の記述を参照。");
    let _ = writeln!(en, "[^1]: See the text of the previous section.");
    if it.links.iter().any(|(_, inferred)| *inferred) {
        let _ = writeln!(ja, "[^2]: 本サイトによる推定。");
        let _ = writeln!(en, "[^2]: Inferred by the site.");
    }
    (ja, en)
}
