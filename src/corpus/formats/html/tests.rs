//! Tests of the web-page converter on pages shaped like the ones users save.

use super::*;

/// A news page: navigation, breadcrumbs, a share bar, the article, related
/// links and a footer, with the site suffix in `<title>`.
fn news_page(charset: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<!-- saved from url=(0058)http://www.news.cn/politics/leaders/2024-07/04/c_1130.htm -->
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>上合组织峰会在阿斯塔纳举行_新闻中心_某某网</title>
<meta name="publishdate" content="2024-07-04">
<style>.x{{color:red}}</style><script>var a="导航脚本";</script>
</head><body>
<div class="topnav"><ul><li><a href="/">首页</a></li><li><a href="/politics">时政</a></li><li><a href="/world">国际</a></li></ul></div>
<div class="breadcrumb"><a href="/">某某网</a> &gt; <a href="/politics">时政</a> &gt; 正文</div>
<h1><a href="/"><img alt="某某网"></a></h1>
<div class="header"><h1>上合组织峰会在阿斯塔纳举行</h1>
<div class="info"><span class="time">2024-07-04 22:09:13</span> 来源：某某网</div>
<div class="share">分享到：<a>微信</a><a>微博</a></div></div>
<div id="detail">
<p>　　上海合作组织成员国元首理事会第二十四次会议4日在阿斯塔纳举行，各方就深化合作交换了意见，会议气氛友好。</p>
<p>　　各成员国领导人回顾了本组织成立以来的发展历程，一致认为应继续遵循“上海精神”，加强团结协作。</p>
<h2>一、坚持团结协作</h2>
<p>　　我们要坚持政治互信，加强安全合作，<br>　　维护地区和平稳定。</p>
<table><tr><th>成员国</th><th>首都</th></tr><tr><td>哈萨克斯坦</td><td>阿斯塔纳</td></tr></table>
<p style="display:none">隐藏的文字</p>
<p>　　会议签署并发表了《阿斯塔纳宣言》，批准了多项合作文件，各方表示将共同落实会议成果。</p>
</div>
<div class="related"><h3>相关新闻</h3><ul><li><a href="/a">领导人抵达阿斯塔纳</a></li><li><a href="/b">峰会开幕</a></li><li><a href="/c">联合声明发表</a></li></ul></div>
<div class="footer"><p>Copyright 2000-2024 All Rights Reserved.</p><p>制作单位：某某网股份有限公司</p></div>
</body></html>"#
    )
}

fn converted(bytes: &[u8]) -> Converted {
    convert(bytes).expect("converts")
}

#[test]
fn the_article_comes_out_in_blocks_without_the_page_furniture() {
    let c = converted(news_page("utf-8").as_bytes());
    assert_eq!(c.layout, Layout::Blocks);
    let blocks: Vec<&str> = c.text.split("\n\n").collect();
    assert_eq!(blocks[0], "# 上合组织峰会在阿斯塔纳举行", "{}", c.text);
    assert!(blocks[1].trim_start_matches('　').starts_with("上海合作组织成员国元首理事会第二十四次会议"), "{}", c.text);
    assert!(blocks.contains(&"## 一、坚持团结协作"), "{}", c.text);
    assert!(blocks.iter().any(|b| b.contains("加强安全合作，\n")), "a <br> is a line inside its block: {}", c.text);
    assert!(blocks.contains(&"成员国 | 首都") && blocks.contains(&"哈萨克斯坦 | 阿斯塔纳"), "{}", c.text);
    for furniture in ["首页", "正文", "分享到", "相关新闻", "Copyright", "制作单位", "导航脚本", "color", "隐藏的文字", "某某网"]
    {
        assert!(!c.text.contains(furniture), "{furniture} left in {}", c.text);
    }
}

#[test]
fn headline_time_and_address_are_metadata() {
    let c = converted(news_page("utf-8").as_bytes());
    assert_eq!(c.origin.format, SourceFormat::Html);
    assert_eq!(c.origin.published.as_deref(), Some("2024-07-04 22:09:13"), "the shown time refines the metadata's day");
    assert_eq!(c.origin.url.as_deref(), Some("http://www.news.cn/politics/leaders/2024-07/04/c_1130.htm"));
}

#[test]
fn gbk_pages_are_decoded_by_their_declaration_or_by_detection() {
    let page = news_page("gb2312");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&page);
    assert!(!unmappable);
    let c = converted(&gbk);
    assert_eq!(c.encoding, "gb18030");
    assert!(c.text.starts_with("# 上合组织峰会在阿斯塔纳举行"), "{}", c.text);
    // Without a declaration, the bytes are recognised.
    let undeclared = news_page("x-unknown").replace("charset=x-unknown", "");
    let (gbk, _, _) = encoding_rs::GBK.encode(&undeclared);
    assert!(converted(&gbk).text.contains("各成员国领导人回顾了本组织成立以来的发展历程"));
    // A page re-saved as UTF-8 that still declares gb2312 is read as UTF-8.
    let c = converted(news_page("gb2312").as_bytes());
    assert_eq!(c.encoding, "UTF-8");
    assert!(c.text.contains("上海精神"));
}

#[test]
fn titles_fall_back_to_metadata_without_the_site_suffix() {
    let page = "<html><head><title>中方就上合组织峰会答问_外交部_某某网</title></head><body><div>\
                <p>问：请介绍上合组织峰会的情况。答：峰会将在阿斯塔纳举行，各方正在积极筹备，中方期待会议取得成功。</p></div></body></html>";
    let c = converted(page.as_bytes());
    assert!(c.text.starts_with("# 中方就上合组织峰会答问\n\n"), "{}", c.text);
    let og = r#"<html><head><meta property="og:title" content="声明全文 | 某某网"><meta property="article:published_time" content="2023-07-04T20:15:00+08:00"><link rel="canonical" href="https://example.cn/a.html"></head><body><p>上海合作组织成员国元首理事会发表声明，各方重申遵循上海精神。</p></body></html>"#;
    let c = converted(og.as_bytes());
    assert!(c.text.starts_with("# 声明全文\n\n"), "{}", c.text);
    assert_eq!(c.origin.published.as_deref(), Some("2023-07-04 20:15:00"));
    assert_eq!(c.origin.url.as_deref(), Some("https://example.cn/a.html"));
}

#[test]
fn pages_without_an_article_keep_their_body_text() {
    let page = "<html><body><nav><a>首页</a><a>时政</a></nav><p>短讯：会议举行。</p><footer>版权所有</footer></body></html>";
    let c = converted(page.as_bytes());
    assert_eq!(c.text, "短讯：会议举行。");
    assert_eq!(convert(b"<html><body><nav>a</nav></body></html>").map(|c| c.text), Err(ConvertError::Empty(SourceFormat::Html)));
}

#[test]
fn dates_and_times_are_read_in_the_shapes_pages_show() {
    assert_eq!(date_time_in("发布时间：2024年7月4日 22:09 来源"), Some("2024-07-04 22:09".to_owned()));
    assert_eq!(date_time_in("2024/07/04 08:30:05"), Some("2024-07-04 08:30:05".to_owned()));
    assert_eq!(date_time_in("2024-07-04"), Some("2024-07-04".to_owned()));
    assert_eq!(date_time_in("这是2024年的一段很长的正文，里面提到2024-07-04这一天但没有写时间，不是发布时间。"), None);
    assert_eq!(date_time_in("20241-07-04 12:00"), None);
}

#[test]
fn hostile_markup_is_read_without_overflowing() {
    // The HTML parser's cost grows with the square of the nesting: a page
    // nested this deep is read as tag-stripped text, and quickly.
    let deep = "<div>".repeat(200_000) + "上海合作组织" + &"</div>".repeat(200_000);
    let started = std::time::Instant::now();
    let c = converted(deep.as_bytes());
    assert!(c.text.contains("上海合作组织"));
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    assert!(c.warnings.iter().any(|w| w.contains("nested")), "{:?}", c.warnings);
    let script = "<html><body><script>if (a<b) { x = '<div>'.repeat(9) }</script><p>上合组织</p></body></html>";
    assert_eq!(lexical_depth(script), 3, "html, body, script; not the divs in the script");
    let unclosed = "<html><body><p>上合<b><i><table><tr><td>组织".repeat(200);
    assert!(convert(unclosed.as_bytes()).is_ok());
}

/// An older ministry page: a layout table, the article in one cell, its
/// paragraphs apart by `<br>` and a two-space indent, no `<p>` at all.
#[test]
fn paragraphs_apart_by_br_and_indent_in_a_layout_table() {
    let page = "<html><head><meta charset=gb2312><title>外长会议举行_外交部</title></head><body>\
        <table width=100%><tr><td class=nav><a href=/>首页</a><br><a href=/a>外交动态</a><br><a href=/b>发言人表态</a></td>\
        <td class=content><font size=4><b>外长会议举行</b></font><br><br>\
        \u{3000}\u{3000}2019年5月22日，上海合作组织成员国外交部长理事会会议在比什凯克举行，各方就本组织发展和国际地区问题深入交换意见。<br>\
        \u{3000}\u{3000}外长们指出，应继续落实《上海合作组织成员国长期睦邻友好合作条约》，推动各领域合作取得新进展。<br>\
        \u{3000}\u{3000}会议批准了有关文件。</td></tr></table></body></html>";
    let (gbk, _, _) = encoding_rs::GBK.encode(page);
    let c = converted(&gbk);
    let cleaned = crate::clean::clean_as(&c.text, c.layout, crate::knowledge::bundled());
    let texts: Vec<&str> = cleaned.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "外长会议举行",
            "2019年5月22日，上海合作组织成员国外交部长理事会会议在比什凯克举行，各方就本组织发展和国际地区问题深入交换意见。",
            "外长们指出，应继续落实《上海合作组织成员国长期睦邻友好合作条约》，推动各领域合作取得新进展。",
            "会议批准了有关文件。",
        ],
        "{}",
        c.text
    );
}
