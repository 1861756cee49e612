//! UI strings in Chinese and English. Keys are the English text's short
//! name; [`tr`] falls back to the key when a string is missing.

use crate::model::{AttendeeStatus, Body, DocKind, EntityKind};
use serde::{Deserialize, Serialize};

/// Interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// 中文
    Zh,
    /// English
    En,
}

impl Lang {
    /// From the system locale: Chinese for `zh*`, English otherwise.
    pub fn from_system() -> Self {
        match sys_locale::get_locale() {
            Some(l) if l.to_lowercase().starts_with("zh") => Self::Zh,
            _ => Self::En,
        }
    }
}

const STRINGS: &[(&str, &str, &str)] = &[
    ("app", "上合文献阅读器", "SCO Reader"),
    ("open_folder", "打开文件夹…", "Open folder…"),
    ("open_files", "打开文件…", "Open files…"),
    ("documents_filter", "文档", "Documents"),
    ("published", "发布", "Published"),
    ("open_bundled", "示例文献", "Example corpus"),
    ("back", "后退", "Back"),
    ("forward", "前进", "Forward"),
    ("timeline", "时间线", "Timeline"),
    ("events", "提及的活动", "Mentioned events"),
    ("citations", "引用", "Citations"),
    ("entities", "实体", "Entities"),
    ("notes", "笔记", "Notes"),
    ("theme", "主题", "Theme"),
    ("theme_system", "跟随系统", "System"),
    ("theme_light", "浅色", "Light"),
    ("theme_dark", "深色", "Dark"),
    ("help", "帮助", "Help"),
    ("shortcuts", "键盘快捷键", "Keyboard shortcuts"),
    ("close", "关闭", "Close"),
    ("loading", "正在分析", "Analysing"),
    ("from_cache", "分析取自缓存", "analysis from cache"),
    ("n_analysed_rest_cached", "{} 个文件重新分析，其余取自缓存", "{} files analysed, the rest from cache"),
    ("n_analysed_rest_cached_one", "1 个文件重新分析，其余取自缓存", "1 file analysed, the rest from cache"),
    ("documents", "篇文献", "documents"),
    ("files_unreadable", "个文件无法读取", "files could not be read"),
    ("unreadable_title", "问题", "Problems"),
    ("attendees", "与会者", "Attendees"),
    ("name", "姓名", "Name"),
    ("role", "职务", "Role"),
    ("country_org", "国家 / 组织", "Country / organisation"),
    ("status", "身份", "Status"),
    ("chair", "主持", "Chair"),
    ("caption", "图片说明", "Photo caption"),
    ("dateline", "电头", "Dateline"),
    ("no_document", "从左侧时间线选择一篇文献。", "Choose a document on the timeline."),
    ("no_citations", "本文献未引用任何协定。", "This document cites no agreement."),
    ("all_citations", "← 本文献的全部引用", "← All citations of this document"),
    ("all_entities", "← 本文献的全部实体", "← All entities of this document"),
    ("signed", "签署", "Signed"),
    ("wordings", "其他措辞", "Other wordings"),
    ("cited_in", "引用文献数", "Cited in documents"),
    ("passages", "引用段落", "Citing passages"),
    ("mentions", "提及", "Mentions"),
    ("forms", "写法", "Written as"),
    ("in_corpus", "全库出现", "in the corpus"),
    (
        "no_dialog",
        "未选择文件夹（本机可能没有文件对话框服务）。可将文件夹拖入窗口，或运行 sco-reader open 路径。",
        "No folder chosen (no file dialog service here?). Drop a folder on the window, or run `sco-reader open PATH`.",
    ),
    ("dropped", "已打开拖入的文件", "Opened the dropped files"),
    ("kinds", "高亮", "Highlight"),
    ("times", "次", "×"),
    ("paragraph", "段", "¶"),
    ("ordinal", "第{}次", "No. {}"),
    ("ordinal_short", "第{}次", "#{}"),
    ("video", "视频会议", "video conference"),
    ("corpus_bundled", "内置示例文献", "bundled example corpus"),
    ("shortcut_open", "打开文件夹", "Open a folder"),
    ("shortcut_open_files", "打开文件（文本、网页、PDF、Word）", "Open files (text, web page, PDF, Word)"),
    ("shortcut_back", "后退 / 前进", "Back / forward"),
    ("shortcut_help", "显示或隐藏本帮助", "Show or hide this help"),
    ("shortcut_kinds", "切换实体类别高亮（1–6）", "Toggle a kind's highlight (1–6)"),
    ("shortcut_escape", "关闭卡片或窗口", "Close a card or window"),
    ("language", "中/EN", "中/EN"),
    ("find_in_doc", "在本文中查找", "Find in document"),
    ("find_hint", "输入词语…", "Type a phrase…"),
    ("no_hits", "无结果", "no hits"),
    ("search", "检索", "Search"),
    ("search_corpus", "检索全部文献", "Search all documents"),
    ("expand_sco", "上合组织 = 上海合作组织", "上合组织 = 上海合作组织"),
    ("hits_in_docs", "{} 处，{} 篇文献", "{} hits in {} documents"),
    ("shown_first", "仅列出前 {} 处", "showing the first {}"),
    (
        "shortcut_find",
        "在本文中查找（Enter / Shift+Enter 下一处 / 上一处）",
        "Find in the document (Enter / Shift+Enter: next / previous)",
    ),
    ("shortcut_search", "检索全部文献（↑ ↓ 选择，Enter 打开）", "Search all documents (↑ ↓ to choose, Enter to open)"),
    ("select_first", "先在正文中拖动选择一段文字。", "Select a passage in the text first (drag over it)."),
    (
        "no_save_dialog",
        "未选择保存位置（本机可能没有文件对话框服务）。可用 sco-reader notes export 导出。",
        "No file chosen (no file dialog service here?). Use `sco-reader notes export`.",
    ),
    ("exported_to", "已导出到", "Exported to"),
    ("add_note", "添加笔记", "Add note"),
    ("selected", "已选", "Selected"),
    ("save", "保存", "Save"),
    ("cancel", "取消", "Cancel"),
    ("edit", "编辑", "Edit"),
    ("delete", "删除", "Delete"),
    ("undo", "撤销", "Undo"),
    ("deleted", "笔记已删除。", "Note deleted."),
    ("this_doc", "本文献", "This document"),
    ("all_docs", "全部", "All"),
    ("tags", "标签", "Tags"),
    ("tags_hint", "用逗号分隔", "comma separated"),
    ("color", "颜色", "Colour"),
    ("note_text", "笔记内容", "Note"),
    ("any", "全部", "any"),
    ("orphaned", "原文已不存在", "passage no longer in the text"),
    ("moved", "位置已变动", "passage moved"),
    (
        "no_notes",
        "还没有笔记。在正文中拖动选择文字，然后按“添加笔记”（Ctrl+Shift+N）。",
        "No notes yet. Drag over a passage, then Add note (Ctrl+Shift+N).",
    ),
    ("export", "导出", "Export"),
    ("shortcut_note", "为所选文字添加笔记", "Add a note on the selected passage"),
    ("only_with", "仅限含 {} 的文献", "Only documents with {}"),
    ("count_here", "本文引用 {} 次", "cited {}× here"),
    ("docs_count", "全库 {} 篇文献", "in {} documents"),
    ("docs_count_one", "全库 1 篇文献", "in 1 document"),
    ("n_documents", "{} 篇文献", "{} documents"),
    ("n_documents_one", "1 篇文献", "1 document"),
    ("n_hits", "{} 处", "{} hits"),
    ("n_hits_one", "1 处", "1 hit"),
    ("in_n_docs", "，{} 篇文献", " in {} documents"),
    ("in_n_docs_one", "，1 篇文献", " in 1 document"),
    ("n_unreadable", "{} 个文件无法读取", "{} files could not be read"),
    ("n_unreadable_one", "1 个文件无法读取", "1 file could not be read"),
    ("n_gazetteer_problems", "词表有 {} 处问题", "{} gazetteer problems"),
    ("n_gazetteer_problems_one", "词表有 1 处问题", "1 gazetteer problem"),
    ("gazetteer_problems", "用户词表", "Your gazetteer"),
    ("export_what", "导出：", "Export:"),
    ("trends", "趋势…", "Trends…"),
    ("trends_title", "词语趋势", "Trends"),
    (
        "trends_terms",
        "词语（以空格或逗号分隔；实体写作 类别:名称，如 person:李克强）：",
        "Terms (separated by spaces or commas; an entity as KIND:NAME, e.g. person:李克强):",
    ),
    ("trends_per_10k", "每万字", "per 10,000 characters"),
    ("trends_hint", "点击一个点，打开该文献的第一处", "Click a point to open that document at the first hit"),
    ("trends_none", "没有带日期的文献", "No dated documents"),
    ("kwic", "上下文索引", "Keyword in context"),
    ("kwic_text_order", "原文顺序", "text order"),
    ("kwic_by_left", "按左侧排序", "sort by left"),
    ("kwic_by_right", "按右侧排序", "sort by right"),
    ("kwic_copy_csv", "复制为 CSV", "Copy as CSV"),
    ("kwic_copied", "上下文索引已复制为 CSV", "Keyword-in-context lines copied as CSV"),
    ("novelty_toggle", "标出此前会议未说过的句子", "Tint what is new since the earlier meetings"),
    ("novelty_computing", "正在比对此前的会议…", "Comparing with the earlier meetings…"),
    ("trends_computing", "正在统计…", "Counting…"),
    ("searching", "正在检索…", "Searching…"),
    ("offices_computing", "正在汇总职务…", "Gathering who held which office…"),
    ("view_failed", "无法计算此视图", "This view could not be computed"),
    ("novelty_summary", "新句 {s} 句 · 首次引用协定 {a} 项", "{s} new sentences · {a} agreements cited for the first time"),
    ("novelty_first", "首次提及：", "First mention of: "),
    ("novelty_none_before", "（同一机构此前无会议文件，全部为新）", " (no earlier meeting of this body: all of it is new)"),
    ("offices", "职务表…", "Offices…"),
    ("offices_hint", "出席者与文中头衔：谁在何时担任何职", "From attendee tables and titles: who held which office, and when"),
    ("offices_title", "职务", "Who held which office"),
    ("offices_name", "姓名", "Name"),
    ("offices_role", "职务", "Office"),
    ("offices_of", "国家/组织", "Country / organisation"),
    ("offices_when", "时间", "When"),
    ("offices_docs", "文献", "Documents"),
    ("compare_previous", "⇄ 与上一次会议文件对比", "⇄ Compare with the previous meeting"),
    ("compare_title", "对比", "Compare"),
    ("compare_summary", "相同 {s} · 修改 {c} · 新增 {a} · 删除 {r}", "{s} same · {c} changed · {a} added · {r} removed"),
    ("compare_with", "对比：", "Compare:"),
    ("compare_against", "与", "with"),
    ("compare_split", "由左侧 ¶{} 拆分", "split from ¶{} on the left"),
    ("compare_merged", "并入右侧 ¶{}", "merged into ¶{} on the right"),
    ("export_notes", "批注", "Notes"),
    ("export_annotated", "本文献（含标注与批注）", "This document, annotated"),
    (
        "export_annotated_hint",
        "整篇文献：实体高亮、所引协定、出席者与批注，一个可直接分享的文件",
        "The whole document with its entities highlighted, cited agreements, attendees and your notes: one file to share",
    ),
    ("link_not_here", "链接指向的文献 {} 不在当前语料中", "The linked document {} is not in this corpus"),
    ("n_chars_one", "1 字", "1 char"),
    ("n_mentions", "提及 {} 处", "{} mentions"),
    ("n_mentions_one", "提及 1 处", "1 mention"),
    ("inferred_title", "（标题由本程序根据正文推断）", "(title inferred from the text)"),
    (
        "inferred_title_help",
        "文中没有写出标题；此标题由会议、日期和文种推断。",
        "The text carries no title; this one is made from its meeting, date and kind.",
    ),
    (
        "notes_read_only",
        "笔记库所在位置不可写：笔记可以查看和导出，但不能修改。",
        "The notes store is in a read-only place: notes can be read and exported, not changed.",
    ),
    ("notes_damaged", "笔记库中第 {} 条笔记已损坏，未显示。", "Notes {} are damaged in the store and are not shown."),
    ("loading_finding", "正在查找文件…", "Finding files…"),
    ("loading_reading", "读取与清理 {}", "Reading and cleaning {}"),
    ("loading_analysing", "分析 {}", "Analysing {}"),
    ("loading_indexing", "正在建立索引…", "Indexing…"),
    ("open", "打开…", "Open…"),
    ("open_hint", "文件夹或文件：路径或文件对话框", "A folder or files: a path, or the file dialog"),
    ("open_title", "打开文献", "Open documents"),
    ("browse_folder", "选择文件夹…", "Choose a folder…"),
    ("browse_files", "选择文件…", "Choose files…"),
    ("or_type_path", "或输入文件夹或文件的路径：", "Or type the path of a folder or file:"),
    ("no_such_path", "没有这个文件或文件夹。", "There is no such file or folder."),
    ("open_action", "打开", "Open"),
    ("export_button", "导出…", "Export…"),
    ("export_title", "导出", "Export"),
    ("export_which", "哪些批注：", "Which notes:"),
    ("export_format", "格式", "Format"),
    ("export_file", "文件", "File"),
    ("browse", "浏览…", "Browse…"),
    ("replace_file", "替换已有文件", "Replace the existing file"),
    ("file_exists", "{} 已存在；勾选“替换已有文件”后再保存。", "{} exists; tick “Replace the existing file” to overwrite it."),
    ("copy_markdown", "复制 Markdown", "Copy Markdown"),
    ("copied_markdown", "笔记已作为 Markdown 复制到剪贴板。", "Notes copied to the clipboard as Markdown."),
    ("close", "关闭", "Close"),
    ("open_containing", "打开所在文件夹", "Open folder"),
    ("copy", "复制", "Copy"),
    ("copy_cited", "复制并附出处", "Copy with citation"),
    ("copied", "已复制。", "Copied."),
    ("copied_cited", "已复制（附出处与链接）。", "Copied with its citation and link."),
    ("search_for_this", "在全部文献中检索", "Search for this"),
    ("corrections", "校正", "Corrections"),
    ("mark_as", "标为…", "Mark as…"),
    ("mark_as_menu", "标为", "Mark as"),
    ("not_entity", "不是实体", "Not an entity"),
    ("correct_entity", "更正此实体…", "Correct this entity…"),
    ("correction_title", "更正标注", "Correct the markup"),
    ("canonical_name", "规范名称", "Canonical name"),
    ("kind", "类别", "Kind"),
    ("add_to_list", "加入我的名单（在所有文献中识别）", "Add to my list (found everywhere)"),
    ("same_agreement", "与另一协定相同…", "Same agreement as…"),
    ("merge", "合并", "Merge"),
    ("split_off", "拆分", "Split off"),
    ("wordings_cited", "引用时的措辞", "Wordings cited"),
    ("correct_agreement", "更正此协定", "Correct this agreement"),
    ("corrections_elsewhere", "另有 {} 条更正属于其他文献集", "{} more corrections belong to other corpora"),
    ("files_changed", "文件已更改，正在重新读取…", "Files changed; reading them again…"),
    ("merge_desc", "《{b}》与《{a}》为同一协定", "《{b}》 is the same agreement as 《{a}》"),
    ("split_desc", "《{w}》为单独的协定", "《{w}》 is an agreement of its own"),
    ("split_hint", "此措辞的引用成为单独的协定", "Citations with this wording become an agreement of their own"),
    (
        "no_corrections",
        "尚无更正。在文中选择文字或右键单击实体即可更正。",
        "No corrections yet. Select text, or right-click an entity, to correct the markup.",
    ),
    ("correction_saved", "已保存更正", "Correction saved"),
    ("correction_deleted", "已删除更正", "Correction deleted"),
    ("corrections_unapplied", "条更正无法应用", "corrections no longer apply"),
    ("applied", "已应用", "applied"),
    ("added_to_list", "已加入我的名单", "Added to your list"),
    ("copy_paragraph", "复制本段", "Copy paragraph"),
    ("copy_paragraph_cited", "复制本段并附出处", "Copy paragraph with citation"),
    ("clear_selection", "取消选择", "Clear the selection"),
    ("n_chars", "{} 字", "{} chars"),
    ("editor_keys", "Ctrl+Enter 保存 · Esc 取消", "Ctrl+Enter saves · Esc cancels"),
    ("orphaned_notes", "失去位置的笔记（{}）", "Orphaned notes ({})"),
    (
        "orphaned_help",
        "这些笔记所引的文字已不在文献中；笔记保留原引文，可编辑或删除。",
        "The passage these notes quote is no longer in the document; each keeps its quote, to edit or delete.",
    ),
    ("moved_from", "已移位：原在第 {} 段", "moved from ¶{}"),
    ("keep_here", "固定到此处", "Keep here"),
    ("keep_here_help", "把笔记定在新的位置（确认后显示为“原位”）", "Anchor the note at its new place for good"),
];

/// The string for `key` in `lang`.
pub fn tr(lang: Lang, key: &'static str) -> &'static str {
    STRINGS.iter().find(|(k, _, _)| *k == key).map_or(key, |(_, zh, en)| if lang == Lang::Zh { zh } else { en })
}

/// A string with a count in it (`{}`), in the singular where the language
/// has one and `n` is 1 (the `KEY_one` entry: "in 1 document").
pub fn count(lang: Lang, key: &'static str, n: usize) -> String {
    let one = (n == 1)
        .then(|| STRINGS.iter().find(|(k, _, _)| k.strip_suffix("_one") == Some(key)))
        .flatten()
        .map(|(_, zh, en)| if lang == Lang::Zh { *zh } else { *en });
    one.unwrap_or_else(|| tr(lang, key)).replace("{}", &grouped(n))
}

/// `n` with its thousands apart (`8,409,170`): counts at 1 GB run to millions.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Name of an entity kind.
pub fn kind_name(lang: Lang, kind: EntityKind) -> &'static str {
    match (lang, kind) {
        (Lang::Zh, EntityKind::Person) => "人物",
        (Lang::Zh, EntityKind::Country) => "国家",
        (Lang::Zh, EntityKind::Organization) => "组织",
        (Lang::Zh, EntityKind::Place) => "地点",
        (Lang::Zh, EntityKind::Date) => "日期",
        (Lang::Zh, EntityKind::Agreement) => "协定",
        (Lang::En, EntityKind::Person) => "Person",
        (Lang::En, EntityKind::Country) => "Country",
        (Lang::En, EntityKind::Organization) => "Organisation",
        (Lang::En, EntityKind::Place) => "Place",
        (Lang::En, EntityKind::Date) => "Date",
        (Lang::En, EntityKind::Agreement) => "Agreement",
    }
}

/// Short name of a meeting body.
pub fn body_name(lang: Lang, body: Option<Body>) -> &'static str {
    match (lang, body) {
        (Lang::Zh, Some(Body::HeadsOfState)) => "元首理事会",
        (Lang::Zh, Some(Body::HeadsOfGovernment)) => "总理理事会",
        (Lang::Zh, Some(Body::ForeignMinisters)) => "外长理事会",
        (Lang::Zh, _) => "其他",
        (Lang::En, Some(Body::HeadsOfState)) => "Heads of State",
        (Lang::En, Some(Body::HeadsOfGovernment)) => "Heads of Government",
        (Lang::En, Some(Body::ForeignMinisters)) => "Foreign Ministers",
        (Lang::En, _) => "Other",
    }
}

/// Very short name of a meeting body, for the timeline.
pub fn body_short(lang: Lang, body: Option<Body>) -> &'static str {
    match (lang, body) {
        (Lang::Zh, Some(Body::HeadsOfState)) => "元首会议",
        (Lang::Zh, Some(Body::HeadsOfGovernment)) => "总理会议",
        (Lang::Zh, Some(Body::ForeignMinisters)) => "外长会议",
        (Lang::Zh, _) => "会议",
        (Lang::En, Some(Body::HeadsOfState)) => "Heads of State",
        (Lang::En, Some(Body::HeadsOfGovernment)) => "Heads of Gov.",
        (Lang::En, Some(Body::ForeignMinisters)) => "Foreign Min.",
        (Lang::En, _) => "Meeting",
    }
}

/// Name of a document kind.
pub fn doc_kind_name(lang: Lang, kind: DocKind) -> &'static str {
    match (lang, kind) {
        (Lang::Zh, DocKind::JointCommunique) => "联合公报",
        (Lang::Zh, DocKind::PressCommunique) => "新闻公报",
        (Lang::Zh, DocKind::Declaration) => "宣言",
        (Lang::Zh, DocKind::Speech) => "讲话",
        (Lang::Zh, DocKind::Statement) => "声明",
        (Lang::Zh, DocKind::Other) => "类型未知",
        (Lang::En, DocKind::JointCommunique) => "Joint communiqué",
        (Lang::En, DocKind::PressCommunique) => "Press communiqué",
        (Lang::En, DocKind::Declaration) => "Declaration",
        (Lang::En, DocKind::Speech) => "Speech",
        (Lang::En, DocKind::Statement) => "Statement",
        (Lang::En, DocKind::Other) => "Kind unknown",
    }
}

/// Name of an attendee status.
pub fn status_name(lang: Lang, status: AttendeeStatus) -> &'static str {
    use AttendeeStatus as S;
    match (lang, status) {
        (Lang::Zh, S::Member) => "成员国",
        (Lang::Zh, S::Observer) => "观察员国",
        (Lang::Zh, S::Partner) => "对话伙伴",
        (Lang::Zh, S::Organization) => "国际组织",
        (Lang::Zh, S::Guest) => "客人",
        (Lang::En, S::Member) => "member",
        (Lang::En, S::Observer) => "observer",
        (Lang::En, S::Partner) => "partner",
        (Lang::En, S::Organization) => "organisation",
        (Lang::En, S::Guest) => "guest",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_keep_their_thousands_apart() {
        let cases = [(0, "0"), (7, "7"), (999, "999"), (1000, "1,000"), (52_428, "52,428"), (8_409_170, "8,409,170")];
        for (n, want) in cases {
            assert_eq!(grouped(n), want);
        }
        assert_eq!(count(Lang::En, "n_hits", 1), tr(Lang::En, "n_hits_one").replace("{}", "1"));
    }
}
