<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AlternativeColumn</name>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Alternative {n}</source>
        <translation>备选 {n}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Alternative {n} title</source>
        <translation>备选 {n} 标题</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Use this</source>
        <translation>用这一版</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Use alternative {n}</source>
        <translation>使用备选 {n}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Put this text into the story in place of the marked text</source>
        <translation>用这段文字替换故事中标记的文字</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Alternative {n} — failed</source>
        <translation>备选 {n}（失败）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Alternative {n} — stopped</source>
        <translation>备选 {n}（已停止）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Alternative {n} — in the story</source>
        <translation>备选 {n}（已放入故事）</translation>
    </message>
</context>
<context>
    <name>ChatPane</name>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Editing a message</source>
        <translation>正在编辑消息</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Cancel edit</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Cancel editing</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Send message</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Stop generating</source>
        <translation>停止生成</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Stop generating ({key})</source>
        <translation>停止生成（{key}）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Conversation settings</source>
        <translation>对话设置</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Show conversation settings</source>
        <translation>显示对话设置</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>System prompt and sampling for this conversation</source>
        <translation>此对话的系统提示词和采样设置</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>The model is still loading; your message is kept.</source>
        <translation>模型仍在加载，你的消息已保留。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>The message could not be saved: {error}</source>
        <translation>无法保存消息：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Editing your message: Enter sends it as a new version (the old one is kept).</source>
        <translation>正在编辑你的消息：按 Enter 会将它作为新版本发送（旧版本仍会保留）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Wait until the model has loaded, then try again.</source>
        <translation>请等模型加载完成后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Hide conversation settings</source>
        <translation>隐藏对话设置</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>{n} older message no longer fits the model's context window and was left out of this reply. Start a new chat, or load the model with a larger context size in Settings, to keep everything in view.</source>
        <translation>有 {n} 条较早的消息超出了模型的上下文窗口，这次回复没有参考它。若要让模型看到全部内容，请新建聊天，或在设置中用更大的上下文大小加载模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>{n} older messages no longer fit the model's context window and were left out of this reply. Start a new chat, or load the model with a larger context size in Settings, to keep everything in view.</source>
        <translation>有 {n} 条较早的消息超出了模型的上下文窗口，这次回复没有参考它们。若要让模型看到全部内容，请新建聊天，或在设置中用更大的上下文大小加载模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>The disk is full: free some space. Your reply is kept in memory and saved as soon as there is room.</source>
        <translation>磁盘已满：请释放一些空间。回复暂存在内存中，一有空间就会保存。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>The data folder is read-only: your reply cannot be saved. It is kept in memory while gptdesk is open; make the folder writable to save it.</source>
        <translation>数据文件夹是只读的：无法保存回复。gptdesk 打开期间回复会暂存在内存中；让该文件夹可写即可保存。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Your reply could not be saved ({error}). It is kept in memory and saved again every second.</source>
        <translation>无法保存回复（{error}）。回复暂存在内存中，每秒会重试保存。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Saved: the reply kept in memory is on disk now.</source>
        <translation>已保存：暂存在内存中的回复现已写入磁盘。</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Message the model — Enter sends, Shift+Enter for a new line</source>
        <translation>给模型发消息——按 Enter 发送，Shift+Enter 换行</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_pane.py"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>ConversationSettingsPanel</name>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Conversation settings</source>
        <translation>对话设置</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>&amp;System prompt</source>
        <translation>系统提示词(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>System prompt template</source>
        <translation>系统提示词模板</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Start from a ready-made system prompt, then edit it freely.</source>
        <translation>从现成的系统提示词开始，再按需随意修改。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>System prompt text</source>
        <translation>系统提示词内容</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Instructions the model reads before the conversation.</source>
        <translation>模型在对话开始前读取的指示。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Tell the model who to be and how to answer.</source>
        <translation>告诉模型它要扮演什么角色、该怎样回答。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Instructions the model reads before every message in this conversation.</source>
        <translation>在此对话中，模型每次回复前都会读取的指示。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>&amp;Template:</source>
        <translation>模板(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Sampling preset</source>
        <translation>采样预设</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Fill in sampling values that suit a kind of task. Precise for facts and code, Creative for stories and ideas.</source>
        <translation>填入适合某类任务的采样值。“精确”适合事实问答和代码，“创意”适合故事和构思点子。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>&amp;Preset:</source>
        <translation>预设(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>{label}:</source>
        <comment>a form label</comment>
        <translation>{label}：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Reset to &amp;{preset}</source>
        <comment>the default preset</comment>
        <translation>恢复为“{preset}”(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Reset sampling to {preset}</source>
        <translation>将采样恢复为“{preset}”</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Set every sampling value back to the {preset} preset, {max_tokens} max tokens and a random seed.</source>
        <translation>将所有采样值恢复为“{preset}”预设，最大词元数设为 {max_tokens}，种子设为随机。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Reset to &amp;defaults</source>
        <translation>恢复默认值(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Reset sampling to defaults</source>
        <translation>将采样恢复为默认值</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Set every sampling value back to its default, {max_tokens} max tokens and a random seed.</source>
        <translation>将所有采样值恢复为默认值，最大词元数设为 {max_tokens}，种子设为随机。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Applies to the next reply in this conversation.</source>
        <translation>从此对话的下一条回复开始生效。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Settings hint</source>
        <translation>设置提示</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Settings error</source>
        <translation>设置错误</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Random</source>
        <comment>a random seed</comment>
        <translation>随机</translation>
    </message>
</context>
<context>
    <name>DocumentsPane</name>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Collection</source>
        <translation>文档集</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>The collection of documents to ask</source>
        <translation>要提问的文档集</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>&amp;Collection:</source>
        <translation>文档集(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>&amp;New…</source>
        <translation>新建(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>New collection</source>
        <translation>新建文档集</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Make a new collection and show it; it is kept once files are added to it</source>
        <translation>新建一个文档集并显示它；向其中添加文件后它就会被保存</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Search by meaning</source>
        <translation>按语义搜索</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>An embedding model finds passages by what they mean, also in another language, as well as by their words. Get one in Models… (Qwen3 Embedding).</source>
        <translation>嵌入模型除了按词语，还能按含义查找段落，跨语言也可以。可在“模型…”中获取（Qwen3 Embedding）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Off (words only)</source>
        <translation>关闭（只按词语）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Meanin&amp;g:</source>
        <translation>语义(&amp;G)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Add &amp;files…</source>
        <translation>添加文件(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Add files to the collection</source>
        <translation>向文档集添加文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Add .txt, .md, .html, .pdf or .docx files; they are indexed in the background</source>
        <translation>添加 .txt、.md、.html、.pdf 或 .docx 文件；它们会在后台建立索引</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Add f&amp;older…</source>
        <translation>添加文件夹(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Add a folder to the collection</source>
        <translation>向文档集添加文件夹</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Add a folder and everything in it that gptdesk can read</source>
        <translation>添加一个文件夹及其中 gptdesk 能读取的所有文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Remove the selected files</source>
        <translation>移除所选文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Remove the selected files from the collection (the files themselves stay)</source>
        <translation>从文档集中移除所选文件（文件本身保留）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Re&amp;scan</source>
        <translation>重新扫描(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Rescan the collection</source>
        <translation>重新扫描文档集</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Look for new, changed and deleted files; unchanged files are not read again</source>
        <translation>查找新增、更改和删除的文件；未更改的文件不会重新读取</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Documents in the collection</source>
        <translation>文档集中的文档</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Collection summary</source>
        <translation>文档集概况</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Indexing progress</source>
        <translation>索引进度</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Indexing status</source>
        <translation>索引状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>S&amp;top indexing</source>
        <translation>停止索引(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Stop indexing</source>
        <translation>停止索引</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Stop after the current file; what is indexed so far stays</source>
        <translation>处理完当前文件后停止；已建立的索引会保留</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Indexing report</source>
        <translation>索引报告</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>&amp;Details</source>
        <translation>详情(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Show the files that could not be read</source>
        <translation>显示无法读取的文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Files that could not be read</source>
        <translation>无法读取的文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Ask something your documents answer</source>
        <translation>提一个你的文档能回答的问题</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>&amp;Question:</source>
        <translation>问题(&amp;Q)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>&amp;Ask</source>
        <translation>提问(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Ask the documents</source>
        <translation>向文档提问</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Stop answering</source>
        <translation>停止回答</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Stop answering (Esc)</source>
        <translation>停止回答（Esc）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Click a source (or press Enter) to open its file</source>
        <translation>点击来源（或按 Enter）打开其文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Passage</source>
        <translation>段落</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Model status</source>
        <translation>模型状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Answer status</source>
        <translation>回答状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Ask (Enter)</source>
        <translation>提问（Enter）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>{files} files · {passages} passages · {failed} could not be read</source>
        <translation>{files} 个文件 · {passages} 个段落 · {failed} 个无法读取</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>{files} files · {passages} passages</source>
        <translation>{files} 个文件 · {passages} 个段落</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>The document index could not be read: {error}</source>
        <translation>无法读取文档索引：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Name of the new collection:</source>
        <translation>新文档集的名称：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>A collection needs a name: click New… again and type one.</source>
        <translation>文档集需要一个名称：请再次点击“新建…”并输入名称。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Add documents</source>
        <translation>添加文档</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Add a folder</source>
        <translation>添加文件夹</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Documents are being indexed; add more when this run is done.</source>
        <translation>正在为文档建立索引；请等这次完成后再添加。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Looking for files…</source>
        <translation>正在查找文件…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Looking for files: {n} found</source>
        <translation>正在查找文件：已找到 {n} 个</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>{done} of {total} files</source>
        <translation>{done} / {total} 个文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Embedding passages: {done} of {total}</source>
        <translation>正在生成段落向量：{done} / {total}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Search by meaning is not ready: {error} Questions use word matches.</source>
        <translation>按语义搜索尚未就绪：{error} 提问时只按词语匹配。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Search by meaning is off: {error}</source>
        <translation>按语义搜索已关闭：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Stopped: {n} files were indexed before Stop. Rescan to index the rest.</source>
        <translation>已停止：停止前已为 {n} 个文件建立索引。重新扫描可为其余文件建立索引。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Up to date: {new} new or changed, {same} unchanged, {gone} removed.</source>
        <translation>已是最新：新增或更改 {new} 个，未更改 {same} 个，移除 {gone} 个。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>1 file could not be read.</source>
        <translation>1 个文件无法读取。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>{n} files could not be read.</source>
        <translation>{n} 个文件无法读取。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>The files could not be removed from the collection: {error}</source>
        <translation>无法从文档集中移除这些文件：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Looking for passages…</source>
        <translation>正在查找段落…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Search by meaning failed: {error} This answer uses word matches.</source>
        <translation>按语义搜索失败：{error} 本次回答只使用词语匹配。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>No passage matches the question.</source>
        <translation>没有与问题相符的段落。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Answering from {n} passages…</source>
        <translation>正在根据 {n} 个段落回答…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Searching your documents failed: {error}</source>
        <translation>搜索文档失败：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Answered from your documents.</source>
        <translation>已根据你的文档作答。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>The answer reached the length limit and may end abruptly.</source>
        <translation>回答达到了长度上限，结尾可能不完整。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Stopped; the answer so far is kept.</source>
        <translation>已停止；已写出的回答会保留。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Answering failed.</source>
        <translation>回答失败。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>The answer cites none of the passages; they are listed below.</source>
        <translation>回答没有引用任何段落；这些段落列在下方。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>{file} could not be opened: no app for it, or it was moved.</source>
        <translation>无法打开 {file}：没有可打开它的应用，或者它已被移走。</translation>
    </message>
</context>
<context>
    <name>EmailPane</name>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>&amp;Reply to an email</source>
        <translation>回复一封邮件(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Reply to an email</source>
        <translation>回复一封邮件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Paste the email you received and say what to answer</source>
        <translation>粘贴你收到的邮件，并说明要回复什么</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Email to a&amp;nswer:</source>
        <translation>要回复的邮件(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Email to answer</source>
        <translation>要回复的邮件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Paste the email you received here</source>
        <translation>在这里粘贴你收到的邮件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>To</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>e.g. Anna &lt;anna@example.com&gt;, my manager</source>
        <translation>例如：王芳 &lt;wangfang@example.com&gt;，我的经理</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Who it is for, and how you know them; email addresses here fill in Open in mail app</source>
        <translation>写给谁，以及你们是什么关系；这里的邮箱地址会自动填入“在邮件应用中打开”</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>&amp;Purpose:</source>
        <translation>目的(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Purpose</source>
        <translation>目的</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>e.g. ask for Friday afternoon off</source>
        <translation>例如：周五下午请假</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Key points, one per line</source>
        <translation>要点，每行一条</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>One point per line</source>
        <translation>每行写一条要点</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Tone</source>
        <translation>语气</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Pick a tone or type your own</source>
        <translation>选择一种语气，或自己输入</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Automatic: the language you wrote the purpose in, or of the email you answer</source>
        <translation>自动：使用你写“目的”时所用的语言，或所回复邮件的语言</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Sign as</source>
        <translation>署名</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Your name (optional)</source>
        <translation>你的名字（可选）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Number of drafts</source>
        <translation>草稿数量</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>How many different drafts to write</source>
        <translation>要写几份不同的草稿</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>&amp;Write drafts</source>
        <translation>撰写草稿(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Write drafts</source>
        <translation>撰写草稿</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>&amp;To:</source>
        <translation>收件人(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>&amp;Key points:</source>
        <translation>要点(&amp;K)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>T&amp;one:</source>
        <translation>语气(&amp;O)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Len&amp;gth:</source>
        <translation>长度(&amp;G)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Lang&amp;uage:</source>
        <translation>语言(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>&amp;Sign as:</source>
        <translation>署名(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>&amp;Drafts:</source>
        <translation>草稿数(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Model status</source>
        <translation>模型状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Email details</source>
        <translation>邮件详情</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Drafts</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Rewrite: {change}</source>
        <translation>改写：{change}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Rewrite the selected draft: {change}</source>
        <translation>改写所选草稿：{change}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Undo the last rewrite</source>
        <translation>撤销上一次改写</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Bring back the draft as it was before the last rewrite</source>
        <translation>把草稿恢复到上一次改写之前的样子</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Other change</source>
        <translation>其他修改</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Other change, e.g. “mention the budget” — Enter rewrites</source>
        <translation>其他修改，例如“提一下预算”——按 Enter 改写</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Rewrite</source>
        <translation>改写</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Rewrite with this instruction</source>
        <translation>按这条要求改写</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Draft status</source>
        <translation>草稿状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Copy the draft</source>
        <translation>复制草稿</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Copy the text of the selected draft (without the subject)</source>
        <translation>复制所选草稿的正文（不含主题）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Open in mai&amp;l app</source>
        <translation>在邮件应用中打开(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Open in mail app</source>
        <translation>在邮件应用中打开</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Start a new mail with this subject and text</source>
        <translation>用这个主题和正文新建一封邮件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Stop writing</source>
        <translation>停止撰写</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Stop writing (Esc)</source>
        <translation>停止撰写（Esc）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Su&amp;bject:</source>
        <translation>主题(&amp;B)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Load a model to write drafts (pick one in the top bar or in Models…).</source>
        <translation>请先加载模型再撰写草稿（在顶栏或“模型…”中选择）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>The email could not be opened ({error}). Pick it again in the list, or start a new one.</source>
        <translation>无法打开这封邮件（{error}）。请在列表中重新选择，或新建一封邮件。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>The email could not be saved ({error}). Your text is still here; it is saved again with your next change.</source>
        <translation>无法保存这封邮件（{error}）。你的文本仍在这里，下次修改时会再次保存。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>What to sa&amp;y:</source>
        <translation>回复内容(&amp;Y)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>What to say</source>
        <translation>回复内容</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>e.g. yes, I can come on Friday</source>
        <translation>例如：好的，我周五可以来</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Draft {n}</source>
        <translation>草稿 {n}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Fill in the form and press Write drafts: the drafts appear here.</source>
        <translation>填写左侧表单后点击“撰写草稿”，草稿会显示在这里。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Paste the email you want to answer, and say under What to say what the reply should tell them.</source>
        <translation>请粘贴要回复的邮件，并在“回复内容”中写明要告诉对方什么。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Say what the email is for first: fill in Purpose or Key points.</source>
        <translation>请先说明这封邮件的用途：填写“目的”或“要点”。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Writing {n} draft…</source>
        <translation>正在撰写 {n} 份草稿…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Writing {n} drafts…</source>
        <translation>正在撰写 {n} 份草稿…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>There is no draft to rewrite yet: write drafts first.</source>
        <translation>还没有可改写的草稿：请先撰写草稿。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Rewriting the draft…</source>
        <translation>正在改写草稿…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Type how the draft should change, then press Rewrite.</source>
        <translation>请输入草稿要怎样修改，然后点击“改写”。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Copied the draft's text.</source>
        <translation>已复制草稿正文。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>This draft is too long for a mail link, so its text is on the clipboard: paste it into the new mail.</source>
        <translation>这份草稿太长，无法放进邮件链接，正文已复制到剪贴板：请粘贴到新邮件中。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>No mail app opened the draft. Set a default mail app in your system settings, or use Copy and paste the text into your mail.</source>
        <translation>没有邮件应用打开这份草稿。请在系统设置中指定默认邮件应用，或点击“复制”后把正文粘贴到邮件中。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Writing drafts… {n} to go.</source>
        <translation>正在撰写草稿…还剩 {n} 份。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Stopped. Undo brings back a draft from before a rewrite.</source>
        <translation>已停止。点击“撤销”可恢复改写之前的草稿。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>{n} draft.</source>
        <translation>{n} 份草稿。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>{n} drafts.</source>
        <translation>{n} 份草稿。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Write new drafts ({keys})</source>
        <translation>撰写新草稿（{keys}）</translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <location filename="../../gptdesk/ui/engine/worker.py"/>
        <source>Loading the model failed unexpectedly: {error}</source>
        <translation>加载模型时发生意外错误：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/engine/worker.py"/>
        <source>Generating failed unexpectedly: {error}</source>
        <translation>生成时发生意外错误：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/engine/worker.py"/>
        <source>Generating stopped without a result. Try again.</source>
        <translation>生成意外中止，没有得到结果。请重试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/engine/worker.py"/>
        <source>No model is loaded yet. Pick a model first.</source>
        <translation>还没有加载模型。请先选择一个模型。</translation>
    </message>
</context>
<context>
    <name>ItemList</name>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>No conversations yet</source>
        <translation>还没有对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>New chat</source>
        <translation>新建聊天</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>Search {items}</source>
        <comment>the list's name, e.g. conversations</comment>
        <translation>搜索{items}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>Item actions</source>
        <translation>条目操作</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>No matches for “{search}”</source>
        <translation>没有与“{search}”匹配的结果</translation>
    </message>
</context>
<context>
    <name>ItemListModel</name>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>{title}, {date}</source>
        <comment>an item's title and when it changed</comment>
        <translation>{title}，{date}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>The model that answers (installed on this computer)</source>
        <translation>负责回答的模型（已安装在这台电脑上）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Looking for models…</source>
        <translation>正在查找模型…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Model loading progress</source>
        <translation>模型加载进度</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Where the model runs</source>
        <translation>模型在哪种硬件上运行</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Context used</source>
        <translation>已用上下文</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>How much of the model's context window this conversation uses</source>
        <translation>当前对话占用了模型上下文窗口的多少</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>%v / %m tokens</source>
        <translation>%v / %m 词元</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Models…</source>
        <translation>模型…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Open the model manager</source>
        <translation>打开模型管理器</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Open settings</source>
        <translation>打开设置</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Settings (Ctrl+,)</source>
        <translation>设置（Ctrl+,）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Modes</source>
        <translation>模式</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>{mode} mode</source>
        <translation>{mode}模式</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Read-only: nothing is saved</source>
        <translation>只读：不会保存任何内容</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>API server</source>
        <translation>API 服务器</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>The API server needs a key, but the keyring failed: {error}</source>
        <translation>API 服务器需要密钥，但密钥环出错：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Other apps can use the loaded model at {url}/v1</source>
        <translation>其他应用可以通过 {url}/v1 使用已加载的模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>The API server did not start: {error}</source>
        <translation>API 服务器未能启动：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>API :{port}</source>
        <translation>API :{port}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>{n} queued</source>
        <comment>requests waiting or running</comment>
        <translation>{n} 个请求排队中</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>gptdesk opened your conversations and documents read-only, so nothing new is saved. {reason}</source>
        <translation>gptdesk 以只读方式打开了你的对话和文档，新的内容不会被保存。{reason}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>New chat</source>
        <translation>新建聊天</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>No conversations yet</source>
        <translation>还没有对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Summarize</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>New summary</source>
        <translation>新建摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Summaries</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>No summaries yet</source>
        <translation>还没有摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Write</source>
        <translation>写作</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>New story</source>
        <translation>新建故事</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Stories</source>
        <translation>故事</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>No stories yet</source>
        <translation>还没有故事</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>New email</source>
        <translation>新建邮件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Emails</source>
        <translation>邮件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>No emails yet</source>
        <translation>还没有邮件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Translate</source>
        <translation>翻译</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>New translation</source>
        <translation>新建翻译</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Translations</source>
        <translation>翻译</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>No translations yet</source>
        <translation>还没有翻译</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Documents</source>
        <translation>文档</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>New question</source>
        <translation>新问题</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>No documents yet</source>
        <translation>还没有文档</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;Import conversation…</source>
        <translation>导入对话(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;Export conversation…</source>
        <translation>导出对话(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>S&amp;top generating</source>
        <translation>停止生成(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;Models</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;Manage models…</source>
        <translation>管理模型(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;About gptdesk</source>
        <translation>关于 gptdesk(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>There is nothing to export yet: write a message first.</source>
        <translation>还没有可导出的内容：请先写一条消息。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>conversation</source>
        <comment>the exported file's name when the title has none</comment>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Unknown export format {format}: use md, json or txt.</source>
        <translation>未知的导出格式 {format}：请使用 md、json 或 txt。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>The conversation could not be saved to {path}: {error}. Choose another folder.</source>
        <translation>无法将对话保存到 {path}：{error}。请选择其他文件夹。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Import conversation</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Conversations (*.json)</source>
        <translation>对话文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>the file is larger than 50 MB; is it a conversation?</source>
        <translation>文件超过 50 MB，它真的是对话文件吗？</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>{name} could not be imported: {error}</source>
        <translation>无法导入 {name}：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Imported “{title}”</source>
        <translation>已导入“{title}”</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>{path} could not be read: {error}</source>
        <translation>无法读取 {path}：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Enter: send · Shift+Enter: new line · Esc: stop generating
Ctrl+1…6: Chat, Summarize, Write, Email, Translate, Documents
Ctrl+N: new item of this mode · Ctrl+F: find in the list · Ctrl+E: export chat
Ctrl+,: settings · F2: rename the selected item · Delete: delete it
Tab / Shift+Tab: move between controls and message actions</source>
        <translation>Enter：发送 · Shift+Enter：换行 · Esc：停止生成
Ctrl+1…6：聊天、摘要、写作、邮件、翻译、文档
Ctrl+N：在当前模式中新建 · Ctrl+F：在列表中查找 · Ctrl+E：导出聊天
Ctrl+,：设置 · F2：重命名所选项目 · Delete：删除它
Tab / Shift+Tab：在各控件和消息操作之间移动</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>About gptdesk</source>
        <translation>关于 gptdesk</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>gptdesk {version}

A local AI writing desk. Models run on this computer; your conversations stay in its database and are never sent anywhere.</source>
        <translation>gptdesk {version}

本地 AI 写作台。模型在这台电脑上运行；你的对话保存在本机的数据库中，绝不会发送到任何地方。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>No model is installed, not even the built-in one. Open Models… to download one, or reinstall gptdesk to get the built-in model back.</source>
        <translation>没有安装任何模型，连内置模型也不在了。请打开“模型…”下载一个，或重新安装 gptdesk 以恢复内置模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Looking for installed models failed: {error}</source>
        <translation>查找已安装的模型失败：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>{name} (crashed)</source>
        <translation>{name}（曾崩溃）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>{path}
It crashed the engine when it was last loaded: {why}</source>
        <translation>{path}
上次加载时它使引擎崩溃：{why}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>{server}: not reachable</source>
        <translation>{server}：无法连接</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Get more models…</source>
        <translation>获取更多模型…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>The server {server} is no longer in Settings ▸ Connections.</source>
        <translation>服务器 {server} 已不在“设置 ▸ 连接”中。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>{name} loaded in {seconds} s · context {tokens} tokens</source>
        <translation>{name} 已加载，用时 {seconds} 秒 · 上下文 {tokens} 词元</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Remote · {server}</source>
        <translation>远程 · {server}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>{backend} · {offloaded}/{total} layers</source>
        <translation>{backend} · {offloaded}/{total} 层</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>CPU · 1 thread</source>
        <translation>CPU · 1 个线程</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>CPU · {threads} threads</source>
        <translation>CPU · {threads} 个线程</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>&amp;{label}</source>
        <comment>the New item</comment>
        <translation>{label}(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>{tokens} tokens · {speed} tokens/s · first token after {seconds} s</source>
        <translation>{tokens} 词元 · {speed} 词元/秒 · 首个词元用时 {seconds} 秒</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Writing…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Opening the model manager…</source>
        <translation>正在打开模型管理器…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Downloaded {name}; it is in the model list now.</source>
        <translation>已下载 {name}，现在可以在模型列表中找到它。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>A download failed: {error}</source>
        <translation>有一项下载失败：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>The models folder changed. Downloads already running finish in the old folder; restart gptdesk to download into the new one.</source>
        <translation>模型文件夹已更改。正在进行的下载仍会在原文件夹中完成；重启 gptdesk 后，新的下载才会保存到新文件夹。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>The new model settings apply when a model is loaded next: pick the model again in the list above to reload it now.</source>
        <translation>新的模型设置将在下次加载模型时生效：在上方列表中重新选择该模型，即可立即重新加载。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Text not saved</source>
        <translation>文本未保存</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Some text could not be saved (the disk is full or read-only) and is only in this window. Free some space and keep the window open to save it, or close and lose it.</source>
        <translation>有些文本无法保存（磁盘已满或只读），目前只存在于此窗口中。请释放一些空间并保持窗口打开以保存它，或者关闭窗口并放弃这些文本。</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <location filename="../../gptdesk/ui/message_bar.py"/>
        <source>Dismiss message</source>
        <translation>关闭此消息</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/message_bar.py"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/message_bar.py"/>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>ModelManagerWindow</name>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Models — gptdesk</source>
        <translation>模型 — gptdesk</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Model manager</source>
        <translation>模型管理器</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Model manager sections</source>
        <translation>模型管理器分区</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>&amp;Recommended</source>
        <translation>推荐(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>&amp;Search Hub</source>
        <translation>搜索 Hub(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>&amp;Files</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>&amp;Downloads</source>
        <translation>下载(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>&amp;Installed</source>
        <translation>已安装(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Models picked for chat and writing. Sizes are estimates until the download starts; the verdict compares them with the memory free on this computer now.</source>
        <translation>为聊天和写作精选的模型。下载开始前，大小只是估计值；适配评估会将其与这台电脑当前的可用内存进行比较。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Loading the catalog…</source>
        <translation>正在加载模型目录…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Recommended models</source>
        <translation>推荐的模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Search GGUF models on the Hub, e.g. qwen or llama 3b</source>
        <translation>在 Hub 上搜索 GGUF 模型，例如 qwen 或 llama 3b</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Search the Hub</source>
        <translation>搜索 Hub</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Type a name and press Enter.</source>
        <translation>输入名称后按回车键。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Repository</source>
        <translation>仓库</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Downloads</source>
        <translation>下载量</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Likes</source>
        <translation>点赞</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Access</source>
        <translation>访问</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Show files</source>
        <translation>查看文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Show the files of the selected repository</source>
        <translation>查看所选仓库中的文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>owner/repository, e.g. Qwen/Qwen2.5-0.5B-Instruct-GGUF</source>
        <translation>所有者/仓库，例如 Qwen/Qwen2.5-0.5B-Instruct-GGUF</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>List files</source>
        <translation>列出文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Choose a search result or type a repository.</source>
        <translation>选择一个搜索结果，或输入仓库名。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Files of the repository</source>
        <translation>仓库中的文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Quant</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>On this computer</source>
        <translation>本机适配</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Check fit from the model's header</source>
        <translation>读取文件头精确评估</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Reads the first megabytes of the smallest file to estimate memory use precisely (at {n_ctx} tokens of context).</source>
        <translation>读取最小文件开头的几 MB 数据，精确估算内存占用（按 {n_ctx} 词元的上下文计算）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>No downloads yet. Pick a model on the Recommended or Search Hub tab.</source>
        <translation>还没有下载。请在“推荐”或“搜索 Hub”标签页中挑选模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Download queue</source>
        <translation>下载队列</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Clear finished</source>
        <translation>清除已完成</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Clear finished downloads</source>
        <translation>清除已完成的下载</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Downloads go on when this window is closed; unfinished ones resume later.</source>
        <translation>关闭此窗口后下载仍会继续；未完成的下载之后可以接着进行。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Installed models</source>
        <translation>已安装的模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Looking for models…</source>
        <translation>正在查找模型…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Use this model</source>
        <translation>使用此模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Use the selected model</source>
        <translation>使用所选模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Delete the selected model</source>
        <translation>删除所选模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Import a GGUF file</source>
        <translation>导入 GGUF 文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Refresh installed models</source>
        <translation>刷新已安装的模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Drop .gguf files on this window to import them.</source>
        <translation>将 .gguf 文件拖放到此窗口即可导入。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Searching the Hub for “{query}”…</source>
        <translation>正在 Hub 上搜索“{query}”…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Type a repository such as owner/name-GGUF.</source>
        <translation>请输入仓库名，例如 owner/name-GGUF。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Listing the files of {repo}…</source>
        <translation>正在列出 {repo} 中的文件…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{names}: only GGUF model files (.gguf) can be imported. Download a GGUF version of the model, or convert it with llama.cpp's convert_hf_to_gguf.py.</source>
        <translation>{names}：只能导入 GGUF 模型文件（.gguf）。请下载该模型的 GGUF 版本，或用 llama.cpp 的 convert_hf_to_gguf.py 进行转换。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Forget {name}? The file stays where it is:
{path}</source>
        <translation>要从列表中移除 {name} 吗？文件仍会保留在原处：
{path}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Delete {name} from the models folder? This frees its disk space.</source>
        <translation>要从模型文件夹中删除 {name} 吗？这会释放它占用的磁盘空间。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Remove model</source>
        <translation>移除模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Removing {name}…</source>
        <translation>正在移除 {name}…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Something went wrong while removing {name} ({error}). Try again; the log has details.</source>
        <translation>移除 {name} 时出错（{error}）。请重试；日志中有详细信息。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{size} of memory is free now.</source>
        <translation>当前可用内存为 {size}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{size} of memory is free now. None of these fits comfortably; close other programs first.</source>
        <translation>当前可用内存为 {size}，以下模型都无法流畅运行；请先关闭其他程序。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>The catalog could not be read.</source>
        <translation>无法读取模型目录。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Something went wrong while reading the catalog of recommended models ({error}). Try again; the log has details.</source>
        <translation>读取推荐模型目录时出错（{error}）。请重试；日志中有详细信息。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Looking up the files of {repo}…</source>
        <translation>正在查询 {repo} 中的文件…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>no GGUF files</source>
        <translation>无 GGUF 文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{repo} has no {quant} file (it has {have}). Pick one on the Files tab.</source>
        <translation>{repo} 中没有 {quant} 文件（现有：{have}）。请在“文件”标签页中另选一个。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Gated: needs a token</source>
        <translation>受限：需要令牌</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Open</source>
        <translation>公开</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{n} repository. Press Enter or double-click it to see its files.</source>
        <translation>找到 {n} 个仓库。按回车键或双击即可查看其中的文件。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{n} repositories, most downloaded first. Press Enter or double-click one to see its files.</source>
        <translation>找到 {n} 个仓库，按下载量从高到低排列。按回车键或双击某个仓库即可查看其中的文件。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>No GGUF models match “{query}”. Try a shorter name.</source>
        <translation>没有与“{query}”匹配的 GGUF 模型。试试更短的名称。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>The search did not complete.</source>
        <translation>搜索未能完成。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Something went wrong while searching the Hub ({error}). Try again; the log has details.</source>
        <translation>搜索 Hub 时出错（{error}）。请重试；日志中有详细信息。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{name} ({n} parts)</source>
        <translation>{name}（{n} 个分片）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Estimated from the file size; “Check fit” reads the header for a precise estimate.</source>
        <translation>根据文件大小估算；点击“读取文件头精确评估”可得到精确结果。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Download {name}</source>
        <translation>下载 {name}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{repo}: 1 GGUF file.</source>
        <translation>{repo}：1 个 GGUF 文件。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{repo}: {n} GGUF files, best quality first. Smaller files use less memory; Q4_K_M is a good balance.</source>
        <translation>{repo}：{n} 个 GGUF 文件，按质量从高到低排列。文件越小，占用内存越少；Q4_K_M 在质量与大小之间较为均衡。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{repo} has no GGUF files. Search for the same model with “GGUF” in the name.</source>
        <translation>{repo} 中没有 GGUF 文件。请搜索名称中带“GGUF”的同款模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Something went wrong while listing the files of {repo} ({error}). Try again; the log has details.</source>
        <translation>列出 {repo} 中的文件时出错（{error}）。请重试；日志中有详细信息。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>The files of {repo} could not be listed.</source>
        <translation>无法列出 {repo} 中的文件。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Reading the header of {name}…</source>
        <translation>正在读取 {name} 的文件头…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Fit estimated from the model's header at {n_ctx} tokens of context; hover a verdict for the numbers.</source>
        <translation>已根据模型文件头，按 {n_ctx} 词元的上下文估算适配情况；将鼠标悬停在评估结果上可查看具体数字。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>The precise fit is unknown; the verdicts are size estimates.</source>
        <translation>无法得到精确的适配情况；当前评估是根据文件大小估算的。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Something went wrong while reading the model's header ({error}). Try again; the log has details.</source>
        <translation>读取模型文件头时出错（{error}）。请重试；日志中有详细信息。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{n} unfinished download from last time is paused on the Downloads tab; press Resume to go on.</source>
        <translation>上次有 {n} 个下载未完成，已在“下载”标签页中暂停；点击“继续”即可接着下载。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{n} unfinished downloads from last time are paused on the Downloads tab; press Resume to go on.</source>
        <translation>上次有 {n} 个下载未完成，已在“下载”标签页中暂停；点击“继续”即可接着下载。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>unusable</source>
        <translation>无法使用</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{n} model on this computer (downloads go to {folder}).</source>
        <translation>这台电脑上有 {n} 个模型（下载的模型保存在 {folder}）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{n} models on this computer (downloads go to {folder}).</source>
        <translation>这台电脑上有 {n} 个模型（下载的模型保存在 {folder}）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>The models could not be listed.</source>
        <translation>无法列出模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Something went wrong while listing the installed models ({error}). Try again; the log has details.</source>
        <translation>列出已安装的模型时出错（{error}）。请重试；日志中有详细信息。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>The starter model is built in.</source>
        <translation>这是内置模型，无法删除。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>This file belongs to {source}; gptdesk only lists it.</source>
        <translation>此文件属于 {source}，gptdesk 只是将它列出。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Forget…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Removed {name}.</source>
        <translation>已移除 {name}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Import GGUF models</source>
        <translation>导入 GGUF 模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Importing {file}… (copying into the models folder)</source>
        <translation>正在导入 {file}…（复制到模型文件夹）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Imported {name} into the models folder.</source>
        <translation>已将 {name} 导入模型文件夹。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{file} was not imported.</source>
        <translation>{file} 未导入。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Something went wrong while importing {file} ({error}). Try again; the log has details.</source>
        <translation>导入 {file} 时出错（{error}）。请重试；日志中有详细信息。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{file} was not imported: {reason}</source>
        <translation>{file} 未导入：{reason}</translation>
    </message>
</context>
<context>
    <name>PromptsDialog</name>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Prompt templates</source>
        <translation>提示词模板</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Templates</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Template name</source>
        <translation>模板名称</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Template state</source>
        <translation>模板状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Template description</source>
        <translation>模板说明</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Values the template can use</source>
        <translation>模板可用的变量</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Template text</source>
        <translation>模板内容</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Template error</source>
        <translation>模板错误</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Save template</source>
        <translation>保存模板</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Use this text from now on ({shortcut})</source>
        <translation>从现在起使用这段内容（{shortcut}）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>&amp;Reset to default</source>
        <translation>恢复默认(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Reset template to default</source>
        <translation>将模板恢复为默认</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Go back to the text gptdesk ships with</source>
        <translation>恢复为 gptdesk 自带的内容</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Close prompt templates</source>
        <translation>关闭提示词模板</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>{name}  (edited, unsaved)</source>
        <translation>{name}（已修改，未保存）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>{name}  (edited)</source>
        <translation>{name}（已修改）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>{name}  (unsaved)</source>
        <translation>{name}（未保存）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>It uses no values.</source>
        <translation>此模板不使用任何变量。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Values it can use: {values}</source>
        <translation>可用的变量：{values}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Edited · Unsaved changes</source>
        <translation>已修改 · 有未保存的更改</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Edited</source>
        <translation>已修改</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Unsaved changes</source>
        <translation>有未保存的更改</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Edited: differs from the default gptdesk ships with</source>
        <translation>已修改：与 gptdesk 自带的默认内容不同</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Not saved: the template uses {names}, which this task does not give it. {values}</source>
        <translation>未保存：模板用到了 {names}，但这项任务不提供它。{values}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Not saved. {error}</source>
        <translation>未保存。{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Reset to default</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Reset “{name}” to the text gptdesk ships with? Your version of it is deleted.</source>
        <translation>要将“{name}”恢复为 gptdesk 自带的内容吗？你修改过的版本将被删除。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Unsaved templates</source>
        <translation>未保存的模板</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/prompts_dialog.py"/>
        <source>Save the changes to {names} before closing?</source>
        <translation>关闭前要保存对 {names} 的更改吗？</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>Add a server</source>
        <translation>添加服务器</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>Server name</source>
        <translation>服务器名称</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>GPU box</source>
        <translation>GPU 主机</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>Server API key</source>
        <translation>服务器 API 密钥</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>Only if the server asks for one</source>
        <translation>仅在服务器要求时填写</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>Any OpenAI-compatible server: llama.cpp's llama-server, vLLM, Ollama, LM Studio or another gptdesk. The key is kept in the system keyring.</source>
        <translation>任何兼容 OpenAI 的服务器均可：llama.cpp 的 llama-server、vLLM、Ollama、LM Studio 或另一个 gptdesk。密钥保存在系统密钥环中。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>Server status</source>
        <translation>服务器状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>API &amp;key:</source>
        <translation>API 密钥(&amp;K)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>Give the server a name, e.g. “GPU box”.</source>
        <translation>请给服务器起个名字，例如“GPU 主机”。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>There is a server named “{name}” already.</source>
        <translation>已经有一个名为“{name}”的服务器了。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>Asking {url} for its models…</source>
        <translation>正在向 {url} 查询可用模型…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>Correct it, or add the server anyway to use it later.</source>
        <translation>请更正，或者仍然添加该服务器，以后再使用。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>Add &amp;anyway</source>
        <translation>仍然添加(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/server_dialog.py"/>
        <source>The key cannot be kept: there is no system keyring. Install one (e.g. gnome-keyring or KWallet), or use the server without a key.</source>
        <translation>无法保存密钥：系统没有可用的密钥环。请安装一个（例如 gnome-keyring 或 KWallet），或者不用密钥使用该服务器。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Settings error</source>
        <translation>设置错误</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Models folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Default: {path}</source>
        <translation>默认：{path}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Where models are kept. Empty: the default folder, {path}.</source>
        <translation>存放模型的位置。留空则使用默认文件夹 {path}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Default folder</source>
        <translation>默认文件夹</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Where models are kept. Empty: the default folder.</source>
        <translation>存放模型的位置。留空则使用默认文件夹。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Choose the models folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Last used</source>
        <translation>上次使用的模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Default context size</source>
        <translation>默认上下文大小</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source> tokens</source>
        <comment>after the context size</comment>
        <translation> 词元</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Auto</source>
        <comment>threads and GPU layers chosen by gptdesk</comment>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>CPU threads</source>
        <translation>CPU 线程</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>GPU layers</source>
        <translation>GPU 层</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Auto offloads what fits; 0 keeps the model on the CPU.</source>
        <translation>“自动”会把放得下的层交给 GPU；设为 0 则模型完全在 CPU 上运行。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Note</source>
        <translation>提示</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Models fol&amp;der:</source>
        <translation>模型文件夹(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Default &amp;model:</source>
        <translation>默认模型(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Context si&amp;ze:</source>
        <translation>上下文大小(&amp;Z)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>CPU &amp;threads:</source>
        <translation>CPU 线程(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>&amp;GPU layers:</source>
        <translation>GPU 层(&amp;G)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>System</source>
        <comment>the theme</comment>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Light</source>
        <comment>the theme</comment>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Dark</source>
        <comment>the theme</comment>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>System</source>
        <comment>the font size</comment>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Font size</source>
        <translation>字号</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source> pt</source>
        <comment>after the font size in points</comment>
        <translation> 磅</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Interface language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>System ({language})</source>
        <comment>the interface language: the system's, named</comment>
        <translation>跟随系统（{language}）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Restart gptdesk to change the language.</source>
        <translation>重新启动 gptdesk 后界面语言才会切换。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Language note</source>
        <translation>语言提示</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>T&amp;heme:</source>
        <translation>主题(&amp;H)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>&amp;Font size:</source>
        <translation>字号(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Hub endpoint</source>
        <translation>Hub 地址</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>A Hugging Face mirror; empty uses huggingface.co.</source>
        <translation>Hugging Face 镜像站地址；留空则使用 huggingface.co。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Hugging Face token</source>
        <translation>Hugging Face 令牌</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Checking the keyring…</source>
        <translation>正在检查系统密钥环…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Token status</source>
        <translation>令牌状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>&amp;Remove the saved token</source>
        <translation>删除已保存的令牌(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Remove the saved token</source>
        <translation>删除已保存的令牌</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Work &amp;offline (never contact the Hub)</source>
        <translation>离线工作(&amp;O)（从不连接 Hub）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Offline mode</source>
        <translation>离线模式</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Hub &amp;endpoint:</source>
        <translation>Hub 地址(&amp;E)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Hugging Face to&amp;ken:</source>
        <translation>Hugging Face 令牌(&amp;K)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>&amp;Let other apps use the loaded model</source>
        <translation>允许其他应用使用已加载的模型(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Let other apps use the loaded model</source>
        <translation>允许其他应用使用已加载的模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>An OpenAI- and Ollama-compatible API for editors, scripts and chat front-ends. Their requests wait their turn with the window's.</source>
        <translation>一个兼容 OpenAI 和 Ollama 的 API，供编辑器、脚本和聊天前端使用。它们的请求与本窗口的请求一起排队。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>API port</source>
        <translation>API 端口</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Also from other &amp;computers on the network (they need the key)</source>
        <translation>也允许网络中的其他电脑连接(&amp;C)（需要密钥）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Allow other computers</source>
        <translation>允许其他电脑连接</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>API address</source>
        <translation>API 地址</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Cop&amp;y</source>
        <translation>复制(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Copy the API address</source>
        <translation>复制 API 地址</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Reading the keyring…</source>
        <translation>正在读取密钥环…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Copy &amp;key</source>
        <translation>复制密钥(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Copy the API key</source>
        <translation>复制 API 密钥</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>API note</source>
        <translation>API 提示</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Other apps</source>
        <translation>其他应用</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>P&amp;ort:</source>
        <translation>端口(&amp;O)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Servers</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>A&amp;dd server…</source>
        <translation>添加服务器(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Add a server</source>
        <translation>添加服务器</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Re&amp;move</source>
        <translation>移除(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Remove the server</source>
        <translation>移除该服务器</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Models on these servers appear in the model picker beside the installed ones. Servers are saved as you add or remove them.</source>
        <translation>这些服务器上的模型会和已安装的模型一起出现在模型列表中。添加或移除服务器后会立即保存。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Discard changes</source>
        <translation>放弃更改</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>&amp;Prompt templates…</source>
        <translation>提示词模板(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Edit prompt templates</source>
        <translation>编辑提示词模板</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>The instructions the writing tasks give the model; edit or reset them</source>
        <translation>各项写作任务发给模型的指令；可以编辑或恢复默认</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Settings pages</source>
        <translation>设置页面</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>&amp;General</source>
        <translation>常规(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>C&amp;onnections</source>
        <translation>连接(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>{model} (not installed)</source>
        <translation>{model}（未安装）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Off: no other program can use gptdesk's model.</source>
        <translation>已关闭：其他程序无法使用 gptdesk 的模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Other computers connect with the key as 'Authorization: Bearer KEY'. Ollama clients use the address without /v1.</source>
        <translation>其他电脑连接时需以“Authorization: Bearer KEY”的形式提供密钥。Ollama 客户端使用不带 /v1 的地址。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Only programs on this computer can connect; no key is needed. Ollama clients use the address without /v1.</source>
        <translation>只有这台电脑上的程序可以连接，无需密钥。Ollama 客户端使用不带 /v1 的地址。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>No key: the keyring cannot be read</source>
        <translation>没有密钥：无法读取密钥环</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>No keyring available</source>
        <translation>没有可用的密钥环</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>HF_TOKEN is set in the environment and is used instead of a saved token.</source>
        <translation>环境变量中设置了 HF_TOKEN，将使用它而不是已保存的令牌。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Type a token to save it in the keyring</source>
        <translation>输入令牌即可保存到密钥环</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>A token is saved in the system keyring.</source>
        <translation>系统密钥环中已保存了一个令牌。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Type a new token to replace the saved one</source>
        <translation>输入新令牌以替换已保存的令牌</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>No token saved. Only needed for gated or private models.</source>
        <translation>尚未保存令牌。只有受限或私有的模型才需要令牌。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>The models folder “{folder}” is not a full path. Choose a folder with Browse…, or leave the field empty for the default folder.</source>
        <translation>模型文件夹“{folder}”不是完整路径。请点击“浏览…”选择文件夹，或留空以使用默认文件夹。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Saving the token…</source>
        <translation>正在保存令牌…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>The token could not be saved in the system keyring ({error}). Try again, or set the HF_TOKEN environment variable instead.</source>
        <translation>无法将令牌保存到系统密钥环（{error}）。请重试，或改为设置环境变量 HF_TOKEN。</translation>
    </message>
</context>
<context>
    <name>StoryPane</name>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Continue the story</source>
        <translation>续写故事</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Retry the continuation</source>
        <translation>重新续写</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Replace the marked text with a new continuation ({keys})</source>
        <translation>用新的续写替换标记的文字（{keys}）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Undo the continuation</source>
        <translation>撤销续写</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Remove the marked text ({keys})</source>
        <translation>删除标记的文字（{keys}）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Accept</source>
        <translation>采纳</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Accept the continuation</source>
        <translation>采纳续写</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Keep the marked text as part of the story (typing keeps it too; {keys})</source>
        <translation>把标记的文字保留为故事的一部分（继续打字也会保留；{keys}）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Alternatives</source>
        <translation>备选</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Generate alternatives</source>
        <translation>生成备选</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Number of alternatives</source>
        <translation>备选数量</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>How many continuations to compare side by side</source>
        <translation>要并排比较几种续写</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Stop writing</source>
        <translation>停止写作</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Stop writing (Esc)</source>
        <translation>停止写作（Esc）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Export the story</source>
        <translation>导出故事</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Save the story as a Markdown or text file</source>
        <translation>将故事保存为 Markdown 或文本文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Memory &amp;&amp; note</source>
        <translation>记忆和作者注</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Show memory and author's note</source>
        <translation>显示记忆和作者注</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Show or hide memory, author's note and length</source>
        <translation>显示或隐藏记忆、作者注和长度</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Manuscript</source>
        <translation>正文</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Write the beginning of your story here, then press Continue ({keys}) and the model writes on from the cursor.</source>
        <translation>在这里写下故事的开头，然后点击“续写”（{keys}），模型会从光标处接着写。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Memory</source>
        <translation>记忆</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Premise, characters, setting, style. Always kept in the model's view.</source>
        <translation>故事前提、人物、背景、文风。模型始终能看到这些内容。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Author's note</source>
        <translation>作者注</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Short guidance, e.g. "The storm breaks; keep it tense."</source>
        <translation>简短的写作提示，例如：“暴风雨来临，保持紧张气氛。”</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source> words</source>
        <comment>after the number of words per continuation</comment>
        <translation> 字</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Length per continuation</source>
        <translation>每次续写的长度</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>About how many words each continuation writes</source>
        <translation>每次续写大约写多少字</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>&amp;Memory</source>
        <translation>记忆(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Author's &amp;note</source>
        <translation>作者注(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Placed a few paragraphs before the end of the story.</source>
        <translation>放在故事结尾前几段的位置。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>&amp;Length:</source>
        <translation>长度(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Memory and author's note</source>
        <translation>记忆和作者注</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Close alternatives</source>
        <translation>关闭备选</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>{n} words</source>
        <translation>{n} 字</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Word count</source>
        <translation>字数</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Story status</source>
        <translation>故事状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>{error} It may have been deleted; a new story is open.</source>
        <translation>{error}它可能已被删除；已为你新建一个故事。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>The story could not be saved: {error} Your text is still here; it is saved again with your next edit.</source>
        <translation>无法保存故事：{error}你的文本仍在这里，下次编辑时会再次保存。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>story</source>
        <comment>the exported file's name when the title has none</comment>
        <translation>故事</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Plain text (*.txt)</source>
        <translation>纯文本 (*.txt)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Export story</source>
        <translation>导出故事</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>The story was exported to {path}.</source>
        <translation>故事已导出到 {path}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>The story could not be exported to {path}: {reason}. Choose another folder or file name and export again.</source>
        <translation>无法将故事导出到 {path}：{reason}。请换一个文件夹或文件名，再导出一次。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>No model is loaded yet. Pick one in the top bar (or wait until it has loaded), then press Continue again; your story is kept.</source>
        <translation>还没有加载模型。请在顶栏选择一个模型（或等它加载完成），然后再点击“续写”；你的故事会保留。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>{n} alternatives — pick one with “Use this” (it replaces the marked text)</source>
        <translation>{n} 个备选：点击“用这一版”选出一个（它会替换标记的文字）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>{n} word</source>
        <translation>{n} 字</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Writing {n} alternatives…</source>
        <translation>正在写 {n} 个备选…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Load a model to continue the story: pick one in the top bar.</source>
        <translation>请先加载模型再续写故事：在顶栏选择一个模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Write on from the cursor ({keys})</source>
        <translation>从光标处接着写（{keys}）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Write several continuations of the same place to compare and pick one</source>
        <translation>从同一位置写出几种续写，比较后选出一种</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Writing… (Esc stops)</source>
        <translation>正在写作…（按 Esc 停止）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>The tinted text is new: Accept keeps it, Retry rewrites it, Undo removes it; typing keeps it too.</source>
        <translation>带底色的是新写的文字：“采纳”保留它，“重试”重写它，“撤销”删除它；继续打字也会保留它。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/story_pane.py"/>
        <source>Continue writes on from the cursor.</source>
        <translation>“续写”会从光标处接着写。</translation>
    </message>
</context>
<context>
    <name>SummarizePane</name>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Summary length</source>
        <translation>摘要长度</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>How long the summary should be</source>
        <translation>摘要要写多长</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>&amp;Length:</source>
        <translation>长度(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Summary language</source>
        <translation>摘要语言</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>The language to write the summary in</source>
        <translation>用哪种语言写摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Same as the text</source>
        <translation>与原文相同</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>&amp;In:</source>
        <translation>语言(&amp;I)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Focus</source>
        <translation>侧重点</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Focus (optional), e.g. decisions and deadlines</source>
        <translation>侧重点（可选），例如：决定和截止日期</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>What the summary should concentrate on</source>
        <translation>摘要应着重关注的内容</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>&amp;Focus:</source>
        <translation>侧重(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>&amp;Open file…</source>
        <translation>打开文件(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Open a file to summarize</source>
        <translation>打开要摘要的文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Open a .txt, .md, .html, .pdf or .docx file ({keys}); you can also drop one here</source>
        <translation>打开 .txt、.md、.html、.pdf 或 .docx 文件（{keys}）；也可以把文件拖放到这里</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Source file</source>
        <translation>源文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Text to summarize</source>
        <translation>要摘要的文本</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Paste the text to summarize, or open a file (.txt, .md, .html, .pdf, .docx) or drop one here. Any length: a long text is summarized in parts.</source>
        <translation>粘贴要摘要的文本，或打开文件（.txt、.md、.html、.pdf、.docx），也可以把文件拖放到这里。长度不限：长文本会分段摘要。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Source size</source>
        <translation>原文长度</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>&amp;Copy summary</source>
        <translation>复制摘要(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Copy summary</source>
        <translation>复制摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Copy the summary (as Markdown) to the clipboard</source>
        <translation>将摘要（Markdown 格式）复制到剪贴板</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Model status</source>
        <translation>模型状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Summary status</source>
        <translation>摘要状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Summary progress</source>
        <translation>摘要进度</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>&amp;Summarize</source>
        <translation>生成摘要(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Summarize</source>
        <translation>生成摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Stop summarizing</source>
        <translation>停止生成摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Stop summarizing (Esc)</source>
        <translation>停止生成摘要（Esc）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>The summary could not be opened ({error}). Pick it again in the list, or start a new one.</source>
        <translation>无法打开这份摘要（{error}）。请在列表中重新选择，或新建一份摘要。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>This summary was stopped before it was finished.</source>
        <translation>这份摘要在完成前被停止了。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>The summary could not be saved ({error}). Your text is still here; it is saved again with your next change.</source>
        <translation>无法保存这份摘要（{error}）。你的文本仍在这里，下次修改时会再次保存。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Open a document to summarize</source>
        <translation>打开要摘要的文档</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Opened {name}.</source>
        <translation>已打开 {name}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>{name} could not be read ({error}). Try another file, or paste its text.</source>
        <translation>无法读取 {name}（{error}）。请换一个文件，或直接粘贴其中的文本。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>The text changed: Summarize again to update.</source>
        <translation>原文已更改：请再次点击“生成摘要”以更新。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Summary copied.</source>
        <translation>摘要已复制。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Summarizing</source>
        <translation>正在生成摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Summarizing part {part} of {parts}</source>
        <translation>正在摘要第 {part} 部分，共 {parts} 部分</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Combining {n} summaries ({group} of {groups})</source>
        <translation>正在合并 {n} 份摘要（第 {group} 组，共 {groups} 组）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Combining {n} summaries</source>
        <translation>正在合并 {n} 份摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>{tokens} token · 1 pass</source>
        <translation>{tokens} 个词元 · 1 轮</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>{tokens} tokens · 1 pass</source>
        <translation>{tokens} 个词元 · 1 轮</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>{tokens} tokens · {parts} parts + 1 combining pass</source>
        <translation>{tokens} 个词元 · {parts} 个部分 + 1 轮合并</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>{tokens} tokens · {parts} parts + up to {n} combining passes</source>
        <translation>{tokens} 个词元 · {parts} 个部分 + 最多 {n} 轮合并</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Summary ready.</source>
        <translation>摘要已完成。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Summary ready; it reached the length limit and may end abruptly.</source>
        <translation>摘要已完成；它达到了长度上限，结尾可能不完整。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Stopped; the summary so far is kept.</source>
        <translation>已停止；已生成的摘要已保留。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Stopped before the summary was written.</source>
        <translation>已停止，摘要尚未开始生成。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Summarizing failed.</source>
        <translation>生成摘要失败。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>≈ {tokens} tokens · {error}</source>
        <translation>约 {tokens} 个词元 · {error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>≈ {tokens} tokens · load a model to see how many passes it takes</source>
        <translation>约 {tokens} 个词元 · 加载模型后可查看需要几轮</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>≈ {tokens} tokens · counting…</source>
        <translation>约 {tokens} 个词元 · 正在计算…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Paste a text or open a file first</source>
        <translation>请先粘贴文本或打开文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Summarize the text ({keys})</source>
        <translation>为文本生成摘要（{keys}）</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <location filename="../../gptdesk/ui/chat/transcript.py"/>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/transcript.py"/>
        <source>[{note}]</source>
        <comment>a grey note after a message</comment>
        <translation>（{note}）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/transcript.py"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/transcript.py"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/transcript.py"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/transcript.py"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
</context>
<context>
    <name>TranslatePane</name>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Source language</source>
        <translation>源语言</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>The language of the text; Detect language lets the model tell</source>
        <translation>原文的语言；选“自动检测语言”则由模型判断</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Detect language</source>
        <translation>自动检测语言</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>&amp;From:</source>
        <translation>源语言(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Swap languages</source>
        <translation>互换语言</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Swap the languages and the texts ({keys})</source>
        <translation>互换两种语言和两边的文本（{keys}）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Target language</source>
        <translation>目标语言</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>The language to translate into</source>
        <translation>要译成的语言</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>T&amp;o:</source>
        <translation>目标语言(&amp;O)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Text to translate</source>
        <translation>要翻译的文本</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Type or paste the text to translate. Paragraphs, line breaks and Markdown are kept.</source>
        <translation>在此输入或粘贴要翻译的文本。段落、换行和 Markdown 格式都会保留。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Translation</source>
        <translation>译文</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>The translation appears here.</source>
        <translation>译文会显示在这里。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>&amp;Copy translation</source>
        <translation>复制译文(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Copy translation</source>
        <translation>复制译文</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Copy the whole translation to the clipboard</source>
        <translation>将全部译文复制到剪贴板</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Model status</source>
        <translation>模型状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Translation status</source>
        <translation>翻译状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Translation progress</source>
        <translation>翻译进度</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>&amp;Translate</source>
        <translation>翻译(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Translate</source>
        <translation>翻译</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Stop translating</source>
        <translation>停止翻译</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Stop translating (Esc); what is translated so far is kept</source>
        <translation>停止翻译（Esc）；已译出的内容会保留</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Load a model to translate (pick one in the top bar or in Models…).</source>
        <translation>请先加载模型再翻译（在顶栏或“模型…”中选择）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>The translation could not be opened ({error}). Pick it again in the list, or start a new one.</source>
        <translation>无法打开这份翻译（{error}）。请在列表中重新选择，或新建一份翻译。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>The translation could not be saved ({error}). Your text is still here; it is saved again with your next change.</source>
        <translation>无法保存这份翻译（{error}）。你的文本仍在这里，下次修改时会再次保存。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>The text changed: Translate again to update.</source>
        <translation>原文已更改：请再次点击“翻译”以更新译文。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Translating…</source>
        <translation>正在翻译…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Swapped: Translate to check the round trip.</source>
        <translation>已互换：点击“翻译”可检查回译结果。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Translation copied.</source>
        <translation>译文已复制。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Translating part {part} of {parts}</source>
        <translation>正在翻译第 {part} 部分，共 {parts} 部分</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Translated {n} part</source>
        <translation>已翻译 {n} 个部分</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Translated {n} parts</source>
        <translation>已翻译 {n} 个部分</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Translated; some parts were cut at the length limit.</source>
        <translation>翻译完成；部分内容因达到长度上限而被截断。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Translated.</source>
        <translation>翻译完成。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Stopped; the translation so far is kept.</source>
        <translation>已停止；已译出的内容已保留。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Translation failed.</source>
        <translation>翻译失败。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Type or paste a text to translate first</source>
        <translation>请先输入或粘贴要翻译的文本</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Translate the text ({keys})</source>
        <translation>翻译文本（{keys}）</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>Welcome to gptdesk</source>
        <translation>欢迎使用 gptdesk</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>Everything runs on this computer: what you write and what the model answers never leave it. Only downloading a model uses the internet.</source>
        <translation>一切都在这台电脑上运行：你写的内容和模型的回答都不会离开它。只有下载模型时才会联网。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>Recommended for this computer</source>
        <translation>为这台电脑推荐</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>Recommended model</source>
        <translation>推荐的模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>{tokens}-token context</source>
        <translation>{tokens} 词元上下文</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>Download: {size} (an estimate; the exact size is shown before the download starts). It fits in the {free} of memory free now and leaves room for your other programs.</source>
        <translation>下载大小：{size}（估计值，下载开始前会显示确切大小）。当前可用内存为 {free}，足够运行它，也能给其他程序留出空间。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>Download {name} ({size})</source>
        <translation>下载 {name}（{size}）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>Download {name}, {size}</source>
        <translation>下载 {name}，{size}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>No recommended model fits right now</source>
        <translation>目前没有适合的推荐模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>This computer has {free} of memory free, which is not enough to run any of the recommended models comfortably. The small built-in model below needs very little. You can also close other programs and come back, or browse all models to pick one yourself.</source>
        <translation>这台电脑目前只有 {free} 可用内存，不足以流畅运行任何推荐模型。下面的小型内置模型对内存要求很低。你也可以关闭其他程序后再回来，或浏览全部模型，自己挑选一个。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>This computer has {free} of memory free, which is not enough to run any of the recommended models comfortably. Close other programs and come back, or browse all models to pick one yourself.</source>
        <translation>这台电脑目前只有 {free} 可用内存，不足以流畅运行任何推荐模型。请关闭其他程序后再回来，或浏览全部模型，自己挑选一个。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>Start now with the small built-in model (works offline)</source>
        <translation>立即使用小型内置模型开始（可离线使用）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>Start now with the small built-in model</source>
        <translation>立即使用小型内置模型开始</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>The built-in model is missing from this installation: reinstall gptdesk to get it back, or download the model above.</source>
        <translation>当前安装中缺少内置模型：请重新安装 gptdesk 以恢复它，或下载上面推荐的模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>The built-in model is missing from this installation: reinstall gptdesk to get it back.</source>
        <translation>当前安装中缺少内置模型：请重新安装 gptdesk 以恢复它。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>It is quick and private but small: good for trying gptdesk and short tasks. You can download a bigger model any time.</source>
        <translation>它速度快、保护隐私，但规模较小：适合试用 gptdesk 和处理简短任务。你随时可以下载更大的模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>Browse all models…</source>
        <translation>浏览全部模型…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>Browse all models</source>
        <translation>浏览全部模型</translation>
    </message>
</context>
<context>
    <name>WritingPane</name>
    <message>
        <location filename="../../gptdesk/ui/writing/writing_pane.py"/>
        <source>Saved: your text is on disk now.</source>
        <translation>已保存：你的文本现已写入磁盘。</translation>
    </message>
</context>
<context>
    <name>_DownloadRow</name>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Progress of {name}</source>
        <translation>{name} 的下载进度</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>State of {name}</source>
        <translation>{name} 的状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Use this model</source>
        <translation>使用此模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Pause {name}</source>
        <translation>暂停 {name}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Resume {name}</source>
        <translation>继续下载 {name}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Cancel {name}</source>
        <translation>取消 {name}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Use {name}</source>
        <translation>使用 {name}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{done} of {total}</source>
        <translation>{done} / {total}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{size}/s</source>
        <translation>{size}/s</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Retry {name}</source>
        <translation>重试 {name}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
</context>
<context>
    <name>_RecommendedCard</name>
    <message numerus="yes">
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{params}B parameters · {license} · about {size} ({quant}) · {context}k context</source>
        <comment>or {params_yi} for 亿 (hundreds of millions)</comment>
        <translation>
            <numerusform>{params_yi} 亿参数 · {license} · 约 {size}（{quant}）· {context}k 上下文</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Estimated from the download size and the memory free right now.</source>
        <translation>根据下载大小和当前可用内存估算。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Fit of {name}</source>
        <translation>{name} 的适配情况</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Download {name}</source>
        <translation>下载 {name}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>★ Best choice for this computer</source>
        <translation>★ 最适合这台电脑</translation>
    </message>
</context>
<context>
    <name>answer</name>
    <message>
        <location filename="../../gptdesk/core/documents/answer.py"/>
        <source>Nothing in your documents matches this question, so there is no answer to give from them. Try other words, or add the documents that cover it.</source>
        <translation>你的文档中没有与这个问题相符的内容，因此无法根据文档作答。请换个说法，或添加涵盖该内容的文档。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/documents/answer.py"/>
        <source>{file}, page {page}</source>
        <translation>{file}，第 {page} 页</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/documents/answer.py"/>
        <source>The question is too long for this model's context window ({n_ctx} tokens). Shorten it, or load the model with a larger context size.</source>
        <translation>问题太长，超出了该模型的上下文窗口（{n_ctx} 个词元）。请缩短问题，或以更大的上下文大小加载模型。</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../gptdesk/app.py"/>
        <source>gptdesk: unexpected error</source>
        <translation>gptdesk：意外错误</translation>
    </message>
    <message>
        <location filename="../../gptdesk/app.py"/>
        <source>Something went wrong: {error}

Your conversation is kept. Details are in the log: {log}</source>
        <translation>出错了：{error}

你的对话已保留。详细信息请查看日志：{log}</translation>
    </message>
</context>
<context>
    <name>catalog</name>
    <message>
        <location filename="../../gptdesk/core/models/catalog.py"/>
        <source>The model catalog {path} is damaged ({error}); reinstall gptdesk.</source>
        <translation>模型目录 {path} 已损坏（{error}）。请重新安装 gptdesk。</translation>
    </message>
    <message>
        <location filename="../../resources/catalog.json"/>
        <source>Not for chat: lets Documents search by meaning; 100+ languages.</source>
        <translation>不用于聊天：让“文档”模式按语义搜索；支持 100 多种语言。</translation>
    </message>
    <message>
        <location filename="../../resources/catalog.json"/>
        <source>Small and quick; English.</source>
        <translation>小巧快速；擅长英文。</translation>
    </message>
    <message>
        <location filename="../../resources/catalog.json"/>
        <source>Tiny; Chinese and English.</source>
        <translation>非常小巧；支持中英文。</translation>
    </message>
    <message>
        <location filename="../../resources/catalog.json"/>
        <source>Small; Chinese and English.</source>
        <translation>小巧；支持中英文。</translation>
    </message>
    <message>
        <location filename="../../resources/catalog.json"/>
        <source>Small, long context.</source>
        <translation>小巧，上下文很长。</translation>
    </message>
    <message>
        <location filename="../../resources/catalog.json"/>
        <source>Good prose for its size.</source>
        <translation>同等规模中文笔出色。</translation>
    </message>
    <message>
        <location filename="../../resources/catalog.json"/>
        <source>Balanced everyday model.</source>
        <translation>均衡的日常模型。</translation>
    </message>
    <message>
        <location filename="../../resources/catalog.json"/>
        <source>Strong Chinese; research license.</source>
        <translation>中文能力强；采用研究用途许可证。</translation>
    </message>
    <message>
        <location filename="../../resources/catalog.json"/>
        <source>Reasoning and summaries; English.</source>
        <translation>擅长推理和摘要；适合英文。</translation>
    </message>
    <message>
        <location filename="../../resources/catalog.json"/>
        <source>Fluent writing; needs 8 GB RAM.</source>
        <translation>文笔流畅；需要 8 GB 内存。</translation>
    </message>
    <message>
        <location filename="../../resources/catalog.json"/>
        <source>Best Chinese and English of the list; needs 8 GB RAM.</source>
        <translation>列表中中英文能力最强；需要 8 GB 内存。</translation>
    </message>
    <message>
        <location filename="../../resources/catalog.json"/>
        <source>Capable all-rounder; needs 8 GB RAM.</source>
        <translation>能力全面；需要 8 GB 内存。</translation>
    </message>
</context>
<context>
    <name>chat</name>
    <message>
        <location filename="../../gptdesk/core/chat/session.py"/>
        <source>New chat</source>
        <translation>新建聊天</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/chat/session.py"/>
        <source>only the last reply can be continued</source>
        <translation>只能继续最后一条回复</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/chat/session.py"/>
        <source>a reply is still being written</source>
        <translation>还有一条回复正在生成</translation>
    </message>
</context>
<context>
    <name>chat_presets</name>
    <message>
        <location filename="../../resources/chat_presets.json"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../resources/chat_presets.json"/>
        <source>Helpful assistant</source>
        <translation>得力助手</translation>
    </message>
    <message>
        <location filename="../../resources/chat_presets.json"/>
        <source>Writing partner</source>
        <translation>写作伙伴</translation>
    </message>
    <message>
        <location filename="../../resources/chat_presets.json"/>
        <source>Patient teacher</source>
        <translation>耐心的老师</translation>
    </message>
    <message>
        <location filename="../../resources/chat_presets.json"/>
        <source>Programmer</source>
        <translation>程序员</translation>
    </message>
    <message>
        <location filename="../../resources/chat_presets.json"/>
        <source>Translator</source>
        <translation>翻译员</translation>
    </message>
    <message>
        <location filename="../../resources/chat_presets.json"/>
        <source>Precise</source>
        <translation>精确</translation>
    </message>
    <message>
        <location filename="../../resources/chat_presets.json"/>
        <source>Balanced</source>
        <translation>均衡</translation>
    </message>
    <message>
        <location filename="../../resources/chat_presets.json"/>
        <source>Creative</source>
        <translation>创意</translation>
    </message>
</context>
<context>
    <name>chat_settings</name>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>T&amp;emperature</source>
        <translation>温度(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>How adventurous the wording is. Higher is more varied, lower is more predictable; 0 always picks the most likely word.</source>
        <translation>决定用词有多大胆。越高越多变，越低越稳妥；设为 0 时总是选择可能性最大的词。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>T&amp;op-p</source>
        <translation>T&amp;op-p</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Only consider the most likely words that together make up this share of the probability. Lower keeps replies focused; 1 turns it off.</source>
        <translation>只从最可能的一批词中选择，这批词的概率合计达到此比例即止。越低回复越集中；设为 1 即关闭。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Top-&amp;k</source>
        <translation>Top-&amp;k</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Only consider this many of the most likely next words. Lower keeps replies focused; 0 turns it off.</source>
        <translation>只从可能性最大的这么多个词中选择下一个词。越低回复越集中；设为 0 即关闭。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>M&amp;in-p</source>
        <translation>M&amp;in-p</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Leave out words less likely than this fraction of the most likely word. Higher trims odd choices; 0 turns it off.</source>
        <translation>若某个词的概率不到最可能那个词的这一比例，就不予考虑。越高越能去掉离谱的选词；设为 0 即关闭。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Repeat pe&amp;nalty</source>
        <translation>重复惩罚(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Discourages repeating the same words. Above 1 repeats less; 1 turns it off.</source>
        <translation>抑制反复使用相同的词。大于 1 时重复更少；设为 1 即关闭。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>&amp;Max tokens</source>
        <translation>最大词元数(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>The longest a reply may be, in tokens (a token is about three quarters of a word).</source>
        <translation>一条回复最多可以有多少个词元（一个汉字约合 1～2 个词元）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>See&amp;d</source>
        <translation>种子(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/chat_settings.py"/>
        <source>Random: a different reply each time. A fixed number makes the same settings and conversation give the same reply again.</source>
        <translation>随机：每次得到不同的回复。若固定为某个数字，相同的设置和对话会再次得到相同的回复。</translation>
    </message>
</context>
<context>
    <name>cpu</name>
    <message>
        <location filename="../../gptdesk/core/inference/cpu_kernels.py"/>
        <source>This computer's processor lacks the instructions every llama.cpp build in gptdesk needs ({variants}); gptdesk cannot run models on it.</source>
        <translation>这台电脑的处理器缺少 gptdesk 中每个 llama.cpp 构建所需的指令（{variants}）；gptdesk 无法在其上运行模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/cpu_kernels.py"/>
        <source>Every llama.cpp CPU variant crashed on this processor ({variants}). Please report it with the output of gptdesk doctor.</source>
        <translation>每个 llama.cpp CPU 变体都在这颗处理器上崩溃了（{variants}）。请连同 gptdesk doctor 的输出一起报告此问题。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/cpu_kernels.py"/>
        <source>llama.cpp could not load its CPU backend {path}.</source>
        <translation>llama.cpp 无法加载其 CPU 后端 {path}。</translation>
    </message>
</context>
<context>
    <name>documents</name>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>an old Word document (.doc)</source>
        <translation>旧版 Word 文档（.doc）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>a Rich Text (.rtf) file</source>
        <translation>RTF 富文本文件（.rtf）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>an OpenDocument text (.odt)</source>
        <translation>OpenDocument 文本（.odt）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>a Pages document</source>
        <translation>Pages 文稿</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>an e-book (.epub)</source>
        <translation>电子书（.epub）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>plain text (.txt), Markdown (.md), HTML, PDF and Word (.docx)</source>
        <translation>纯文本（.txt）、Markdown（.md）、HTML、PDF 和 Word（.docx）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>{name} does not exist (was it moved or deleted?).</source>
        <translation>{name} 不存在（是否已被移动或删除？）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>{name} cannot be read: {error}.</source>
        <translation>无法读取 {name}：{error}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>{name} is a folder; choose a file.</source>
        <translation>{name} 是文件夹，请选择一个文件。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>{name} is {size} MiB, more than gptdesk reads ({most} MiB). Split it or copy the part you need.</source>
        <translation>{name} 有 {size} MiB，超出了 gptdesk 能读取的上限（{most} MiB）。请把它拆分，或只复制你需要的部分。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>{name} is {kind}, which gptdesk cannot read yet. Save it as PDF, .docx or plain text, or paste its text.</source>
        <translation>{name} 是{kind}，gptdesk 暂时无法读取。请将它另存为 PDF、.docx 或纯文本，或直接粘贴其中的文字。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>{name} is not a text file gptdesk can read. It reads {kinds}.</source>
        <translation>{name} 不是 gptdesk 能读取的文本文件。gptdesk 可以读取{kinds}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>{name} has no text. It may be a scan: gptdesk reads a PDF's text layer, not its images; run it through text recognition (OCR) first.</source>
        <translation>{name} 中没有文字。它可能是扫描件：gptdesk 读取的是 PDF 的文字层，而不是其中的图像。请先用文字识别（OCR）处理它。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>{name} has no text.</source>
        <translation>{name} 中没有文字。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>{name} claims to be UTF-16 but is not; re-save it.</source>
        <translation>{name} 标明为 UTF-16 编码，但实际上不是。请重新保存该文件。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>The text encoding of {name} cannot be recognized. Save it as UTF-8 and try again.</source>
        <translation>无法识别 {name} 的文本编码。请将它另存为 UTF-8 后重试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>{name} is encrypted in a way gptdesk cannot open ({error}). Save an unprotected copy (for example by printing it to PDF) and open that.</source>
        <translation>{name} 使用了 gptdesk 无法打开的加密方式（{error}）。请保存一份未加密的副本（例如打印为 PDF），然后打开该副本。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>{name} is not a readable PDF (it may be damaged or not a PDF at all): {error}</source>
        <translation>{name} 不是可读取的 PDF（文件可能已损坏，或根本不是 PDF）：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>{name} is protected by a password. Open it in a PDF viewer, save a copy without the password, and open that copy.</source>
        <translation>{name} 受密码保护。请在 PDF 阅读器中打开它，另存一份不带密码的副本，然后打开该副本。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>{name} is not a readable Word document (it may be password-protected, damaged, or an old .doc renamed). Save it again as .docx or PDF.</source>
        <translation>{name} 不是可读取的 Word 文档（可能受密码保护、已损坏，或是改了扩展名的旧版 .doc 文件）。请重新另存为 .docx 或 PDF。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/documents.py"/>
        <source>{name} is damaged ({error}). Save it again as .docx or PDF.</source>
        <translation>{name} 已损坏（{error}）。请重新另存为 .docx 或 PDF。</translation>
    </message>
</context>
<context>
    <name>documents_pane</name>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Load a model to ask your documents (pick one in the top bar or in Models…).</source>
        <translation>请先加载模型再向文档提问（在顶部栏或“模型…”中选择一个）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>This collection has no documents yet: add files or a folder first.</source>
        <translation>这个文档集还没有文档：请先添加文件或文件夹。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Ask a question: the answer comes from the passages of this collection that match it best, with numbered sources.</source>
        <translation>提一个问题：回答来自这个文档集中最相符的段落，并附有编号来源。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Documents ({patterns})</source>
        <translation>文档（{patterns}）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>about {n} s left</source>
        <translation>约剩 {n} 秒</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>about {n} min left</source>
        <translation>约剩 {n} 分钟</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>about {n} h left</source>
        <translation>约剩 {n} 小时</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Indexing stopped because of an error: {error}</source>
        <translation>索引因错误而停止：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Indexed · 1 passage</source>
        <translation>已索引 · 1 个段落</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/documents/documents_pane.py"/>
        <source>Indexed · {n} passages</source>
        <translation>已索引 · {n} 个段落</translation>
    </message>
</context>
<context>
    <name>downloads</name>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>Refusing the unsafe name {repo}/{path}.</source>
        <translation>已拒绝不安全的名称 {repo}/{path}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>Refusing to download {repo}/{path}: '{part}' is not a safe file name.</source>
        <translation>已拒绝下载 {repo}/{path}：“{part}”不是安全的文件名。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>Refusing to write {target} outside the models folder {root}.</source>
        <translation>已拒绝写入 {target}：它位于模型文件夹 {root} 之外。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>The download failed unexpectedly: {error}</source>
        <translation>下载意外失败：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>Downloaded and verified.</source>
        <translation>已下载并校验。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>Downloading {path} failed {attempts} times in a row ({error}). Check your connection and resume: the data so far is kept.</source>
        <translation>下载 {path} 已连续失败 {attempts} 次（{error}）。请检查网络连接后继续下载，已下载的数据会保留。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>Connection problem ({error}); retrying in {seconds} s</source>
        <translation>连接出现问题（{error}），{seconds} 秒后重试</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>{path} came out larger than the Hub says; it was deleted.</source>
        <translation>{path} 下载后的大小超出了 Hub 给出的大小，已将其删除。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>{path} is damaged: its SHA-256 does not match the Hub's, so it was deleted. Download it again; if this repeats, the mirror or network is altering data.</source>
        <translation>{path} 已损坏：它的 SHA-256 与 Hub 上的不一致，已将其删除。请重新下载；如果反复出现，说明镜像站或网络篡改了数据。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>{repo} needs you to accept its license on the Hub and add a token: accept the terms on the model's page, create a read token in your Hub account and enter it in Settings (or HF_TOKEN).</source>
        <translation>{repo} 需要你在 Hub 上接受它的许可证并添加令牌：在该模型的页面上接受条款，在你的 Hub 账户中创建一个具有读取权限的令牌，然后填入设置（或设置 HF_TOKEN）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>The Hub has no file {name} in {repo}.</source>
        <translation>Hub 上的 {repo} 中没有文件 {name}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>the server rejected the resume position</source>
        <translation>服务器拒绝了续传位置</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>The Hub answered HTTP {status} for {name}.</source>
        <translation>Hub 对 {name} 返回了 HTTP {status}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>Not enough disk space: the download needs {needed} GiB more and {free} GiB is free in {folder}. Free some space or choose another models folder in Settings.</source>
        <translation>磁盘空间不足：下载还需要 {needed} GiB，而 {folder} 中只有 {free} GiB 可用。请释放一些空间，或在设置中选择其他模型文件夹。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/downloads.py"/>
        <source>Writing {name} failed: {error}</source>
        <translation>写入 {name} 失败：{error}</translation>
    </message>
</context>
<context>
    <name>downloads_qt</name>
    <message>
        <location filename="../../gptdesk/ui/models/downloads_qt.py"/>
        <source>Stopped when gptdesk last closed; the data so far is kept. Resume to go on.</source>
        <translation>上次关闭 gptdesk 时下载已停止，已下载的部分仍然保留。点击“继续”即可接着下载。</translation>
    </message>
</context>
<context>
    <name>email_pane</name>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>friendly</source>
        <translation>友好</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>formal</source>
        <translation>正式</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>concise</source>
        <translation>简洁</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>apologetic</source>
        <translation>致歉</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>persuasive</source>
        <translation>有说服力</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>enthusiastic</source>
        <translation>热情</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>neutral</source>
        <translation>中立</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Short</source>
        <translation>短</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Medium</source>
        <translation>中等</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Long</source>
        <translation>长</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Shorter</source>
        <translation>更简短</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>More formal</source>
        <translation>更正式</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Warmer</source>
        <translation>更亲切</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Fix grammar</source>
        <translation>修正语法</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/email_pane.py"/>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
</context>
<context>
    <name>emails</name>
    <message>
        <location filename="../../gptdesk/core/writing/emails.py"/>
        <source>a custom refinement needs an instruction</source>
        <translation>自定义改写需要填写说明</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/emails.py"/>
        <source>Draft {i} of {n}</source>
        <translation>第 {i} 份草稿，共 {n} 份</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/emails.py"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>embed</name>
    <message>
        <location filename="../../gptdesk/core/documents/embed.py"/>
        <source>{name} is not an embedding model (it writes text). Choose an embedding model, such as Qwen3 Embedding from the catalog.</source>
        <translation>{name} 不是嵌入模型（它用来写文字）。请选择一个嵌入模型，例如目录中的 Qwen3 Embedding。</translation>
    </message>
</context>
<context>
    <name>engine</name>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <location filename="../../gptdesk/core/inference/host_child.py"/>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>No model is loaded. Load a model first.</source>
        <translation>尚未加载模型。请先加载一个模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <source>{name} is an embedding model: it finds passages in your documents (Documents mode) and cannot write text. Pick a chat model.</source>
        <translation>{name} 是嵌入模型：它用于在你的文档中查找段落（“文档”模式），不能写文字。请选择一个聊天模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>Loading the model was cancelled.</source>
        <translation>已取消加载模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <source>llama.cpp could not load {name}: {reason}. The file may be damaged or made for a newer llama.cpp; try another download of it.</source>
        <translation>llama.cpp 无法加载 {name}：{reason}。文件可能已损坏，或是为更新版本的 llama.cpp 制作的；请尝试重新下载它。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <source>llama.cpp made a context of {made} tokens instead of {asked}; choose a context size that is a multiple of 256.</source>
        <translation>llama.cpp 创建的上下文为 {made} 词元，而不是 {asked} 词元；请选择 256 的整数倍作为上下文大小。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <source>{name} does not fit in the memory that is free ({estimate}). Close other programs, choose a smaller context size, or pick a smaller quantization of this model.</source>
        <translation>可用内存放不下 {name}（{estimate}）。请关闭其他程序、选择更小的上下文大小，或改用这个模型更小的量化版本。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <source>The chat template inside {name} is broken ({error}). Pick another model or another download of it.</source>
        <translation>{name} 内置的聊天模板有问题（{error}）。请选择其他模型，或重新下载它。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <source>This model was not loaded for embeddings.</source>
        <translation>此模型不是以嵌入方式加载的。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <source>Embedding was cancelled.</source>
        <translation>嵌入已取消。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <source>llama.cpp could not embed the text: {error}</source>
        <translation>llama.cpp 无法为这段文字生成向量：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <source>The model's chat template rejected the conversation: {error}</source>
        <translation>模型的聊天模板拒绝了这段对话：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <source>The model's chat template failed ({error}). The file's template is broken; pick another model or another download of it.</source>
        <translation>模型的聊天模板运行出错（{error}）。该文件的模板有问题；请选择其他模型，或重新下载它。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <source>The message is too long for this model's context window: the prompt is {n_tokens} tokens ({alone} of them in the message) and {reserve} more are kept for the reply, but the window holds {n_ctx}. Shorten the message or the system prompt, or load the model with a larger context size.</source>
        <translation>消息太长，超出了这个模型的上下文窗口：提示词共 {n_tokens} 词元（其中 {alone} 词元来自这条消息），另需为回复预留 {reserve} 词元，而窗口只能容纳 {n_ctx} 词元。请缩短消息或系统提示词，或用更大的上下文大小加载模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>There is no message to answer.</source>
        <translation>没有可以回复的消息。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>Only a reply of the assistant can be continued.</source>
        <translation>只能继续助手的回复。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>There is no text to continue: write something first.</source>
        <translation>没有可以续写的文本：请先写点内容。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <source>The text is {n_tokens} tokens but this model's context window holds {n_ctx}. Shorten it or load the model with a larger context size.</source>
        <translation>文本有 {n_tokens} 词元，但这个模型的上下文窗口只能容纳 {n_ctx} 词元。请缩短文本，或用更大的上下文大小加载模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <source>llama.cpp failed while generating: {error}</source>
        <translation>llama.cpp 在生成时出错：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The JSON schema cannot be used: {error}</source>
        <translation>无法使用该 JSON schema：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/engine.py"/>
        <source>llama.cpp failed evaluating the prompt: {error}</source>
        <translation>llama.cpp 在处理提示词时出错：{error}</translation>
    </message>
</context>
<context>
    <name>fit</name>
    <message>
        <location filename="../../gptdesk/core/inference/fit.py"/>
        <source>fits</source>
        <translation>内存够用</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/fit.py"/>
        <source>tight</source>
        <translation>内存紧张</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/fit.py"/>
        <source>won't fit</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/fit.py"/>
        <source>{verdict}: needs {total} GiB (weights {weights} + context {kv} at {n_ctx} tokens + overhead {overhead}); RAM {ram_needed} of {ram_free} GiB free; VRAM {vram_needed} of {vram_free} GiB free, {gpu_layers}/{layers} layers on the GPU</source>
        <translation>{verdict}：需要 {total} GiB（权重 {weights} + {n_ctx} 词元的上下文 {kv} + 其他开销 {overhead}）；内存需要 {ram_needed} GiB，可用 {ram_free} GiB；显存需要 {vram_needed} GiB，可用 {vram_free} GiB，{gpu_layers}/{layers} 层在 GPU 上</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/fit.py"/>
        <source>{verdict}: needs {total} GiB (weights {weights} + context {kv} at {n_ctx} tokens + overhead {overhead}); RAM {ram_needed} of {ram_free} GiB free</source>
        <translation>{verdict}：需要 {total} GiB（权重 {weights} + {n_ctx} 词元的上下文 {kv} + 其他开销 {overhead}）；内存需要 {ram_needed} GiB，可用 {ram_free} GiB</translation>
    </message>
</context>
<context>
    <name>gguf_file</name>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} ends inside its own header: the file is incomplete. Download or copy it again.</source>
        <translation>{name} 在文件头中途就结束了：文件不完整。请重新下载或复制。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} has a metadata array of unknown type.</source>
        <translation>{name} 包含未知类型的元数据数组。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} has metadata of an unknown type ({type}).</source>
        <translation>{name} 包含未知类型（{type}）的元数据。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} uses a tensor type ({type}) this version does not know. Try a different quantization of the model, or update gptdesk.</source>
        <translation>{name} 使用了当前版本不认识的张量类型（{type}）。请换用该模型的其他量化版本，或更新 gptdesk。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} has an impossible header (corrupt file).</source>
        <translation>{name} 的文件头不合理（文件已损坏）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>The model file {path} cannot be read: {error}.</source>
        <translation>无法读取模型文件 {path}：{error}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>The model file {path} does not exist.</source>
        <translation>模型文件 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} is not a GGUF model (the file is empty).</source>
        <translation>{name} 不是 GGUF 模型（文件是空的）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} is not a GGUF model (the file is only {size} bytes).</source>
        <translation>{name} 不是 GGUF 模型（文件只有 {size} 字节）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} is not a GGUF model. gptdesk runs .gguf files; convert the model with llama.cpp or pick a GGUF download.</source>
        <translation>{name} 不是 GGUF 模型。gptdesk 只能运行 .gguf 文件；请用 llama.cpp 转换该模型，或选择 GGUF 格式的下载。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} is one part of a split model and {part} is missing. Download all parts into the same folder.</source>
        <translation>{name} 是分卷模型的一部分，但缺少 {part}。请把所有分卷下载到同一个文件夹。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} says it is the first of {count} parts, which its file name does not match. Keep the names the parts were downloaded with (name-00001-of-0000N.gguf).</source>
        <translation>{name} 自称是 {count} 个分卷中的第一个，但文件名与此不符。请保留下载时各分卷的文件名（name-00001-of-0000N.gguf）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} is not a GGUF model.</source>
        <translation>{name} 不是 GGUF 模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} is one part of a split model and {part} cannot be read. Download all parts into the same folder.</source>
        <translation>{name} 是分卷模型的一部分，但无法读取 {part}。请把所有分卷下载到同一个文件夹。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{part} is not part {index} of the split model {name}. Download all parts of one model into the same folder.</source>
        <translation>{part} 不是分卷模型 {name} 的第 {index} 部分。请把同一个模型的所有分卷下载到同一个文件夹。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} is GGUF version {version}; gptdesk reads versions {supported}. Download a current conversion.</source>
        <translation>{name} 是 GGUF 第 {version} 版；gptdesk 能读取的版本为 {supported}。请下载较新的转换版本。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} has a tensor with {n_dims} dimensions (corrupt file).</source>
        <translation>{name} 中有一个 {n_dims} 维的张量（文件已损坏）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} is incomplete: it has {size} bytes of the {needed} its header describes. Download or copy it again.</source>
        <translation>{name} 不完整：文件头表明应有 {needed} 字节，实际只有 {size} 字节。请重新下载或复制。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} does not say which model architecture it holds.</source>
        <translation>{name} 没有注明它是哪种模型架构。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} is a '{arch}' model, which this version of llama.cpp cannot run. Pick a model of a supported family (Llama, Qwen, Mistral, Gemma, Phi, ...).</source>
        <translation>{name} 是“{arch}”模型，当前版本的 llama.cpp 无法运行它。请选择受支持系列的模型（Llama、Qwen、Mistral、Gemma、Phi 等）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} lacks {key}, which llama.cpp needs: the file is damaged or was made by a faulty converter. Download it again or pick another model.</source>
        <translation>{name} 缺少 llama.cpp 必需的 {key}：文件已损坏，或由有缺陷的转换工具生成。请重新下载，或换用其他模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>llama.cpp would reject {key} = {value} in {name}: the file is damaged or made for a newer version. Download it again or pick another model.</source>
        <translation>llama.cpp 不接受 {name} 中的 {key} = {value}：文件已损坏，或是为更新的版本制作的。请重新下载，或换用其他模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} stores {key} as {found} where llama.cpp expects {expected}: the file is damaged or was made by a faulty converter. Download it again or pick another model.</source>
        <translation>{name} 中 {key} 的类型是 {found}，而 llama.cpp 要求 {expected}：文件已损坏，或由有缺陷的转换工具生成。请重新下载，或换用其他模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>llama.cpp would reject the layer count of {name} ({value}; it runs 1 to {max}): the file is damaged or made for a newer version. Download it again or pick another model.</source>
        <translation>llama.cpp 不接受 {name} 的层数（{value}；它只能运行 1 到 {max} 层）：文件已损坏，或是为更新的版本制作的。请重新下载，或换用其他模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} has a normalization epsilon of {value}, on which llama.cpp crashes or writes nothing: the file is damaged. Download it again or pick another model.</source>
        <translation>{name} 的归一化 epsilon 为 {value}，llama.cpp 遇到它会崩溃或什么也不输出：文件已损坏。请重新下载，或换用其他模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/gguf_file.py"/>
        <source>{name} has no vocabulary, so llama.cpp cannot turn text into tokens for it: the file is damaged or holds only part of a model. Download it again or pick another model.</source>
        <translation>{name} 没有词表，llama.cpp 无法为它把文本转换成词元：文件已损坏，或只包含模型的一部分。请重新下载，或换用其他模型。</translation>
    </message>
</context>
<context>
    <name>host</name>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>llama.cpp rejected the model's layer count</source>
        <translation>llama.cpp 拒绝了该模型的层数</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>llama.cpp rejected the model's normalization epsilon</source>
        <translation>llama.cpp 拒绝了该模型的归一化 epsilon 值</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>llama.cpp rejected the model's head sizes</source>
        <translation>llama.cpp 拒绝了该模型的注意力头尺寸</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>llama.cpp rejected the model's expert counts</source>
        <translation>llama.cpp 拒绝了该模型的专家数量</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>llama.cpp rejected the model's vocabulary</source>
        <translation>llama.cpp 拒绝了该模型的词表</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>{what} (its check {check} failed)</source>
        <translation>{what}（检查 {check} 未通过）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>llama.cpp stopped at a failed check: {check}</source>
        <translation>llama.cpp 因检查未通过而停止：{check}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>llama.cpp stopped: {error}</source>
        <translation>llama.cpp 已停止：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>llama.cpp stopped with an error: {error}</source>
        <translation>llama.cpp 因错误而停止：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>the system ended it, most likely because memory ran out</source>
        <translation>系统结束了它，很可能是因为内存不足</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>llama.cpp crashed (a segmentation fault)</source>
        <translation>llama.cpp 崩溃了（段错误）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>llama.cpp aborted</source>
        <translation>llama.cpp 异常中止</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>llama.cpp used a processor instruction this computer lacks</source>
        <translation>llama.cpp 使用了这台电脑的处理器不支持的指令</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>the model file became unreadable while in use (changed or removed?)</source>
        <translation>模型文件在使用中变得无法读取（被修改或删除了？）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>llama.cpp crashed (an arithmetic error)</source>
        <translation>llama.cpp 崩溃了（算术错误）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>the engine process ended on signal {name}</source>
        <translation>引擎进程因信号 {name} 而结束</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>llama.cpp crashed (an access violation)</source>
        <translation>llama.cpp 崩溃了（访问冲突）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>the system ran out of memory</source>
        <translation>系统内存不足</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>the engine process ended unexpectedly (exit status {code})</source>
        <translation>引擎进程意外结束（退出状态 {code}）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>The engine failed unexpectedly: {error}</source>
        <translation>引擎意外出错：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>Loading {name} made no progress for {seconds:.0f} s and was stopped. The file may be on a disk that stopped answering, or damaged.</source>
        <translation>加载 {name} 已有 {seconds:.0f} 秒没有进展，已被停止。文件可能位于一个不再响应的磁盘上，或者已损坏。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>The chat template inside {name} ran for more than {seconds:.0f} s and was stopped. The file's template is broken; pick another model or another download of it.</source>
        <translation>{name} 内置的聊天模板运行超过 {seconds:.0f} 秒，已被停止。该文件的模板有问题；请选择其他模型，或重新下载它。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>The model crashed while loading: {what}. The file is damaged or made for a newer version; pick another model or download it again.</source>
        <translation>模型在加载时崩溃：{what}。文件已损坏，或是为更新的版本制作的；请选择其他模型，或重新下载它。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>The model crashed while writing: {what}. What it wrote so far is kept; the next request starts the model again.</source>
        <translation>模型在生成时崩溃：{what}。已生成的内容会保留；下一次请求会重新启动模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/host.py"/>
        <source>The engine was closed before it answered.</source>
        <translation>引擎在回答之前已被关闭。</translation>
    </message>
</context>
<context>
    <name>hub</name>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>The Hub answered {status} while searching. Try again later.</source>
        <translation>搜索时 Hub 返回了 {status}。请稍后重试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>The Hub answered {status} while listing {subject}. Try again later.</source>
        <translation>列出 {subject} 的文件时 Hub 返回了 {status}。请稍后重试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>The Hub answered {status} while reading the header of {subject}. Try again later.</source>
        <translation>读取 {subject} 的文件头时 Hub 返回了 {status}。请稍后重试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>You're offline: the Hub could not be reached while searching. Installed models keep working; try again when connected.</source>
        <translation>你处于离线状态：搜索时无法连接 Hub。已安装的模型仍可正常使用；联网后请重试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>You're offline: the Hub could not be reached while listing {subject}. Installed models keep working; try again when connected.</source>
        <translation>你处于离线状态：列出 {subject} 的文件时无法连接 Hub。已安装的模型仍可正常使用；联网后请重试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>You're offline: the Hub could not be reached while reading the header of {subject}. Installed models keep working; try again when connected.</source>
        <translation>你处于离线状态：读取 {subject} 的文件头时无法连接 Hub。已安装的模型仍可正常使用；联网后请重试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>{repo} needs you to accept its license on the Hub and add a token: open the model's page on huggingface.co, accept the terms, create a read token in your account settings and enter it in Settings.</source>
        <translation>{repo} 需要你在 Hub 上接受它的许可证并添加令牌：在 huggingface.co 上打开该模型的页面并接受条款，在账户设置中创建一个具有读取权限的令牌，然后填入设置。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>The Hub has no model '{repo}' (or it is private). Check the name.</source>
        <translation>Hub 上没有模型“{repo}”（或它是私有的）。请检查名称。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>{repo} has no such file.</source>
        <translation>{repo} 中没有这个文件。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>The Hub refused access to {repo} (HTTP {status}). If it is a gated model, accept its license on the Hub and add a token in Settings.</source>
        <translation>Hub 拒绝访问 {repo}（HTTP {status}）。如果这是受限模型，请在 Hub 上接受它的许可证，并在设置中添加令牌。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>Offline mode is on, so nothing was searched. Turn it off in Settings.</source>
        <translation>离线模式已开启，因此没有进行搜索。可在设置中关闭离线模式。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>Offline mode is on, so nothing was listed. Turn it off in Settings.</source>
        <translation>离线模式已开启，因此没有列出文件。可在设置中关闭离线模式。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>You're offline: {endpoint} could not be reached, so nothing was searched. Installed models keep working; try again when connected.</source>
        <translation>你处于离线状态：无法连接 {endpoint}，因此没有进行搜索。已安装的模型仍可正常使用；联网后请重试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>You're offline: {endpoint} could not be reached, so nothing was listed. Installed models keep working; try again when connected.</source>
        <translation>你处于离线状态：无法连接 {endpoint}，因此没有列出文件。已安装的模型仍可正常使用；联网后请重试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>{name} needs you to accept its license on the Hub and add a token.</source>
        <translation>{name} 需要你在 Hub 上接受它的许可证并添加令牌。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>The Hub has no file {name} there. Check the name.</source>
        <translation>Hub 上的该位置没有文件 {name}。请检查名称。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/hub.py"/>
        <source>The Hub answered HTTP {status} for {name}.</source>
        <translation>Hub 对 {name} 返回了 HTTP {status}。</translation>
    </message>
</context>
<context>
    <name>index</name>
    <message>
        <location filename="../../gptdesk/core/documents/index.py"/>
        <source>The document index {path} cannot be opened ({error}). Move it aside and add your documents again; your documents themselves are not touched.</source>
        <translation>无法打开文档索引 {path}（{error}）。请把它移到别处，然后重新添加你的文档；你的文档本身不会受到影响。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/documents/index.py"/>
        <source>The document index was written by a newer gptdesk (schema {version}); update gptdesk.</source>
        <translation>文档索引是由更新版本的 gptdesk 写入的（结构版本 {version}）。请更新 gptdesk。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/documents/index.py"/>
        <source>A collection needs a name.</source>
        <translation>文档集需要一个名称。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/documents/index.py"/>
        <source>There is no collection named {name}. The collections: {known}.</source>
        <translation>没有名为 {name} 的文档集。现有的文档集：{known}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/documents/index.py"/>
        <source>{path} is not in the document index (nothing was added there).</source>
        <translation>{path} 不在文档索引中（那里没有添加过任何内容）。</translation>
    </message>
</context>
<context>
    <name>item_list</name>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>Today {time}</source>
        <translation>今天 {time}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>d MMM</source>
        <comment>a date this year: a QDate format (d day, MMM month name)</comment>
        <translation>M月d日</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>d MMM yyyy</source>
        <comment>a date in another year: a QDate format (yyyy year)</comment>
        <translation>yyyy年M月d日</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The summaries could not be read ({error}). Try again in a moment.</source>
        <translation>无法读取摘要（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The summary could not be renamed ({error}). Try again in a moment.</source>
        <translation>无法重命名摘要（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The summary could not be deleted ({error}). Try again in a moment.</source>
        <translation>无法删除摘要（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The stories could not be read ({error}). Try again in a moment.</source>
        <translation>无法读取故事（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The story could not be renamed ({error}). Try again in a moment.</source>
        <translation>无法重命名故事（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The story could not be deleted ({error}). Try again in a moment.</source>
        <translation>无法删除故事（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The emails could not be read ({error}). Try again in a moment.</source>
        <translation>无法读取邮件（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The email could not be renamed ({error}). Try again in a moment.</source>
        <translation>无法重命名邮件（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The email could not be deleted ({error}). Try again in a moment.</source>
        <translation>无法删除邮件（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The translations could not be read ({error}). Try again in a moment.</source>
        <translation>无法读取翻译（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The translation could not be renamed ({error}). Try again in a moment.</source>
        <translation>无法重命名翻译（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The translation could not be deleted ({error}). Try again in a moment.</source>
        <translation>无法删除翻译（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The documents could not be read ({error}). Try again in a moment.</source>
        <translation>无法读取文档（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The document could not be renamed ({error}). Try again in a moment.</source>
        <translation>无法重命名文档（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The document could not be deleted ({error}). Try again in a moment.</source>
        <translation>无法删除文档（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The conversations could not be read ({error}). Try again in a moment.</source>
        <translation>无法读取对话（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The conversation could not be renamed ({error}). Try again in a moment.</source>
        <translation>无法重命名对话（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>The conversation could not be deleted ({error}). Try again in a moment.</source>
        <translation>无法删除对话（{error}）。请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>Delete</source>
        <comment>the confirmation's title</comment>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>Delete</source>
        <comment>the button</comment>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/item_list.py"/>
        <source>Delete “{title}”? This cannot be undone.</source>
        <translation>要删除“{title}”吗？此操作无法撤销。</translation>
    </message>
</context>
<context>
    <name>main_window</name>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>JSON, for importing again (*.json)</source>
        <translation>JSON，可再次导入 (*.json)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/main_window.py"/>
        <source>Plain text (*.txt)</source>
        <translation>纯文本 (*.txt)</translation>
    </message>
</context>
<context>
    <name>markdown</name>
    <message>
        <location filename="../../gptdesk/ui/chat/markdown.py"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/markdown.py"/>
        <source>[image: {alt}]</source>
        <translation>【图片：{alt}】</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/markdown.py"/>
        <source>[image]</source>
        <translation>【图片】</translation>
    </message>
</context>
<context>
    <name>model_manager</name>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Fits comfortably</source>
        <translation>内存充裕</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Tight</source>
        <translation>内存紧张</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Too big</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Downloading</source>
        <translation>正在下载</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Checking SHA-256</source>
        <translation>正在校验 SHA-256</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>builtin</source>
        <translation>内置</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>models folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>huggingface cache</source>
        <translation>Hugging Face 缓存</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>lm studio</source>
        <translation>LM Studio</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>gpt4all</source>
        <translation>GPT4All</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>{n} bytes</source>
        <translation>{n} 字节</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>about {s} s left</source>
        <translation>约剩 {s} 秒</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>about {min} min left</source>
        <translation>约剩 {min} 分钟</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/model_manager.py"/>
        <source>about {h} h {min} min left</source>
        <translation>约剩 {h} 小时 {min} 分钟</translation>
    </message>
</context>
<context>
    <name>models</name>
    <message>
        <location filename="../../gptdesk/core/models/library.py"/>
        <source>No model is installed. Reinstall gptdesk (the starter model comes with it) or pass --model PATH to a .gguf file.</source>
        <translation>尚未安装任何模型。请重新安装 gptdesk（其中自带入门模型），或用 --model PATH 指定一个 .gguf 文件。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/library.py"/>
        <source>No installed model is called '{spec}'. Installed: {names}.</source>
        <translation>没有名为“{spec}”的已安装模型。已安装：{names}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/library.py"/>
        <source>No installed model is called '{spec}'. Installed: none.</source>
        <translation>没有名为“{spec}”的已安装模型。目前没有安装任何模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/library.py"/>
        <source>{name} is already in the models folder.</source>
        <translation>{name} 已在模型文件夹中。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/library.py"/>
        <source>The starter model is built in and cannot be removed.</source>
        <translation>入门模型是内置的，无法删除。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/library.py"/>
        <source>{path} is not in gptdesk's library, so there is nothing to remove; gptdesk never deletes files outside its models folder.</source>
        <translation>{path} 不在 gptdesk 的模型库中，因此无需删除；gptdesk 从不删除模型文件夹以外的文件。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/library.py"/>
        <source>{name} belongs to {source}; remove it there. gptdesk only lists it.</source>
        <translation>{name} 属于 {source}，请在那里删除它。gptdesk 只是列出了它。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/library.py"/>
        <source>gptdesk could not read {name}: {error}</source>
        <translation>gptdesk 无法读取 {name}：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/models/library.py"/>
        <source>This model crashed llama.cpp when it was last loaded: {reason}</source>
        <translation>上次加载此模型时 llama.cpp 崩溃了：{reason}</translation>
    </message>
</context>
<context>
    <name>presets</name>
    <message>
        <location filename="../../gptdesk/core/chat/presets.py"/>
        <source>The chat presets {path} are damaged ({error}); reinstall gptdesk.</source>
        <translation>聊天预设文件 {path} 已损坏（{error}）。请重新安装 gptdesk。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/chat/presets.py"/>
        <source>{key} must be a number, not {value}</source>
        <translation>{key} 必须是数字，而不是 {value}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/chat/presets.py"/>
        <source>{key} must be between {low} and {high}, not {value}</source>
        <translation>{key} 必须在 {low} 到 {high} 之间，而不是 {value}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/chat/presets.py"/>
        <source>{key} must be a whole number, not {value}</source>
        <translation>{key} 必须是整数，而不是 {value}</translation>
    </message>
</context>
<context>
    <name>prompts</name>
    <message>
        <location filename="../../gptdesk/core/writing/prompts.py"/>
        <source>The prompt templates in {path} cannot be opened ({error}).</source>
        <translation>无法打开 {path} 中的提示词模板（{error}）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/prompts.py"/>
        <source>The prompt template {name} is missing from {folder}; reinstall gptdesk.</source>
        <translation>{folder} 中缺少提示词模板 {name}。请重新安装 gptdesk。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/prompts.py"/>
        <source>Line {line} of the template has an error: {error}</source>
        <translation>模板第 {line} 行有错误：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/prompts.py"/>
        <source>Prompt templates cannot be saved without a database.</source>
        <translation>没有数据库，无法保存提示词模板。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/prompts.py"/>
        <source>The prompt template {name} uses a value it is not given: {error} (reset it to the default in Settings).</source>
        <translation>提示词模板 {name} 用到了一个未提供的值：{error}（请在设置中将它恢复为默认）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/prompts.py"/>
        <source>The prompt template {name} uses a value it is not given: {error}.</source>
        <translation>提示词模板 {name} 用到了一个未提供的值：{error}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/prompts.py"/>
        <source>The prompt template {name} failed: {error}. Reset it to the default in Settings.</source>
        <translation>提示词模板 {name} 出错：{error}。请在设置中将它恢复为默认。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/prompts.py"/>
        <source>The prompt template {name} failed: {error}.</source>
        <translation>提示词模板 {name} 出错：{error}。</translation>
    </message>
</context>
<context>
    <name>remote</name>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>{url} is not a server address: write it like http://localhost:8080/v1.</source>
        <translation>{url} 不是服务器地址：请写成 http://localhost:8080/v1 这样的形式。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>Remote · {server}</source>
        <translation>远程 · {server}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>the connection was refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>the host name is not known</source>
        <translation>无法解析该主机名</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>the secure connection failed ({error})</source>
        <translation>安全连接失败（{error}）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>it did not answer within {seconds} s</source>
        <translation>它在 {seconds} 秒内没有应答</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>Cannot reach the server at {url}: {reason}. Check the address and that the server is running.</source>
        <translation>无法连接位于 {url} 的服务器：{reason}。请检查地址，并确认服务器正在运行。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>no message</source>
        <translation>没有说明</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The server at {url} refused the API key ({message}). Check the key.</source>
        <translation>位于 {url} 的服务器拒绝了该 API 密钥（{message}）。请检查密钥。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The server at {url} needs an API key ({message}). Enter the server's key.</source>
        <translation>位于 {url} 的服务器需要 API 密钥（{message}）。请输入该服务器的密钥。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The prompt does not fit the model's context window on the server ({message}). Shorten the text or the conversation, or start the server with a larger context size.</source>
        <translation>提示词超出了服务器上该模型的上下文窗口（{message}）。请缩短文本或对话，或以更大的上下文大小启动服务器。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The server at {url} has no such model: {message}</source>
        <translation>位于 {url} 的服务器没有这个模型：{message}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The server at {url} has no {path} (404: {message}). Is it an OpenAI-compatible server, and is its address right?</source>
        <translation>位于 {url} 的服务器没有 {path}（404：{message}）。它是兼容 OpenAI 的服务器吗？地址是否正确？</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The server at {url} answered {status} to {path}: {message}</source>
        <translation>位于 {url} 的服务器对 {path} 返回了 {status}：{message}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The server at {url} did not answer {path} like an OpenAI-compatible server: {answer}</source>
        <translation>位于 {url} 的服务器对 {path} 的应答不像兼容 OpenAI 的服务器：{answer}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>This server (llama-cpp-python's llama_cpp.server) cannot continue a cut-off reply: it always starts a new one. Ask for a new reply, or use a server that continues replies (llama.cpp's llama-server, vLLM).</source>
        <translation>此服务器（llama-cpp-python 的 llama_cpp.server）无法续写被截断的回复：它总是重新开始一条回复。请重新生成回复，或使用能续写回复的服务器（llama.cpp 的 llama-server、vLLM）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The text is {n_tokens} tokens but the context window of {model} on the server holds {n_ctx}. Shorten it, or start the server with a larger context size.</source>
        <translation>该文本有 {n_tokens} 个词元，但服务器上 {model} 的上下文窗口只能容纳 {n_ctx} 个。请缩短文本，或以更大的上下文大小启动服务器。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The server at {url} lists no models. Load a model on the server first.</source>
        <translation>位于 {url} 的服务器没有列出任何模型。请先在服务器上加载一个模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The server at {url} has no model {model}. It has: {models}.</source>
        <translation>位于 {url} 的服务器没有模型 {model}。它有：{models}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The message is too long for the context window of {model} on the server: the prompt is {n_tokens} tokens and {reserve} more are kept for the reply, but the window holds {n_ctx}. Shorten the message or the system prompt, or start the server with a larger context size.</source>
        <translation>消息太长，超出了服务器上 {model} 的上下文窗口：提示词有 {n_tokens} 个词元，另外还要为回复保留 {reserve} 个，但窗口只能容纳 {n_ctx} 个。请缩短消息或系统提示词，或以更大的上下文大小启动服务器。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The server ended the reply without sending anything. Its context window ({n_ctx} tokens) may be too small for this prompt; its own log says more.</source>
        <translation>服务器什么也没发送就结束了回复。它的上下文窗口（{n_ctx} 个词元）可能容纳不下这个提示词；服务器自己的日志中有更多信息。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The server ended the reply before it was finished.</source>
        <translation>服务器在回复完成之前就结束了回复。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The connection to the server broke while it was writing the reply: {error}</source>
        <translation>服务器在写回复时连接中断：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/inference/remote.py"/>
        <source>The server failed while writing the reply: {message}</source>
        <translation>服务器在写回复时出错：{message}</translation>
    </message>
</context>
<context>
    <name>scan</name>
    <message>
        <location filename="../../gptdesk/core/documents/scan.py"/>
        <source>{name} does not exist (was it moved or deleted?).</source>
        <translation>{name} 不存在（是否已被移动或删除？）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/documents/scan.py"/>
        <source>The folder {name} cannot be opened ({error}); its files were skipped.</source>
        <translation>无法打开文件夹 {name}（{error}），已跳过其中的文件。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/documents/scan.py"/>
        <source>{name} no longer exists; it was removed from the collection.</source>
        <translation>{name} 已不存在，已将它从文档集中移除。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/documents/scan.py"/>
        <source>{name} cannot be found (is its drive connected?); what was indexed from it is kept.</source>
        <translation>找不到 {name}（它所在的磁盘是否已连接？）；已为它建立的索引会保留。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/documents/scan.py"/>
        <source>{name} is {size}, more than the {most} gptdesk indexes in one file; it was skipped. Split it into smaller files to index it.</source>
        <translation>{name} 有 {size}，超过了 gptdesk 对单个文件建立索引的上限（{most}），已跳过。请把它拆分成较小的文件后再建立索引。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/documents/scan.py"/>
        <source>{name} holds binary data, not text, although its name ends in {suffix}; it was skipped.</source>
        <translation>{name} 的文件名以 {suffix} 结尾，但其中是二进制数据而不是文本，已跳过。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/documents/scan.py"/>
        <source>{name} could not be read ({error}); it was skipped.</source>
        <translation>无法读取 {name}（{error}），已跳过。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/documents/scan.py"/>
        <source>{name} disappeared while it was being indexed (moved or deleted).</source>
        <translation>{name} 在建立索引时消失了（已被移动或删除）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/documents/scan.py"/>
        <source>{name} cannot be read: {error}.</source>
        <translation>无法读取 {name}：{error}。</translation>
    </message>
</context>
<context>
    <name>serve</name>
    <message>
        <location filename="../../gptdesk/core/serve/listener.py"/>
        <source>Cannot listen on {host}: no such address ({error}).</source>
        <translation>无法在 {host} 上监听：没有这个地址（{error}）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/serve/listener.py"/>
        <source>Port {port} on {host} is in use by another program: pick another port.</source>
        <translation>{host} 上的端口 {port} 已被其他程序占用：请换一个端口。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/serve/listener.py"/>
        <source>Not allowed to listen on port {port} on {host}: pick a port above 1024.</source>
        <translation>没有权限在 {host} 的端口 {port} 上监听：请选择 1024 以上的端口。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/serve/listener.py"/>
        <source>Cannot listen on {host} port {port}: {error}.</source>
        <translation>无法在 {host} 的端口 {port} 上监听：{error}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/serve/runner.py"/>
        <source>No model is loaded in gptdesk. Load one and try again.</source>
        <translation>gptdesk 中尚未加载模型。请先加载一个模型，然后重试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/serve/runner.py"/>
        <source>The prompt is {n_prompt} tokens but the model's context window holds {n_ctx}: shorten it.</source>
        <translation>提示词有 {n_prompt} 词元，但模型的上下文窗口只能容纳 {n_ctx} 词元：请缩短它。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/serve/runner.py"/>
        <source>{limit} requests are already waiting for the model. Try again shortly.</source>
        <translation>已有 {limit} 个请求在等待模型。请稍后重试。</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>where models are stored</source>
        <translation>模型的存放位置</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>Hub or mirror URL (None: huggingface.co)</source>
        <translation>Hub 或镜像站地址（None：huggingface.co）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>never contact the Hub</source>
        <translation>从不连接 Hub</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>model loaded at start (None: the last one used)</source>
        <translation>启动时加载的模型（None：上次使用的模型）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>path of the model loaded last (used when no default)</source>
        <translation>上次加载的模型路径（未设默认模型时使用）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>context size in tokens</source>
        <translation>上下文大小（词元数）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>CPU threads (None: cores)</source>
        <translation>CPU 线程数（None：与核心数相同）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>GPU layers (None: auto; 0: CPU only)</source>
        <translation>GPU 层数（None：自动；0：仅用 CPU）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>colour theme: system, light or dark</source>
        <translation>配色主题：system、light 或 dark</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>font size in points (None: the system's)</source>
        <translation>字号，单位为磅（None：跟随系统）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>main window geometry (hex of QWidget.saveGeometry)</source>
        <translation>主窗口位置和大小（QWidget.saveGeometry 的十六进制值）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>conversation shown when the app last closed</source>
        <translation>上次关闭应用时显示的对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>the first-run welcome has been completed</source>
        <translation>已完成首次运行的欢迎向导</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>user interface language: system, en or zh_CN</source>
        <translation>界面语言：system、en 或 zh_CN</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>let other apps use the loaded model (OpenAI/Ollama API)</source>
        <translation>允许其他应用使用已加载的模型（OpenAI/Ollama API）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>port of the API server</source>
        <translation>API 服务器的端口</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>OpenAI-compatible servers: name and address (keys in the keyring)</source>
        <translation>兼容 OpenAI 的服务器：名称和地址（密钥保存在密钥环中）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>API server: other computers may connect (with the API key)</source>
        <translation>API 服务器：允许其他电脑连接（需要 API 密钥）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>embedding model for document search by meaning (name or path; empty: words only)</source>
        <translation>按语义搜索文档所用的嵌入模型（名称或路径；留空：只按词语搜索）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>The setting {key} ({doc}) must be {types}, not {value}.</source>
        <translation>设置项 {key}（{doc}）必须是 {types}，而不是 {value}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>The setting {key} must be one of {choices}, not {value}.</source>
        <translation>设置项 {key} 必须是 {choices} 之一，而不是 {value}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>The setting {key} ({doc}) must be from {low} to {high}, not {value}.</source>
        <translation>设置项 {key}（{doc}）必须在 {low} 到 {high} 之间，而不是 {value}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>The setting {key} ({doc}) must be at least {low}, not {value}.</source>
        <translation>设置项 {key}（{doc}）必须不小于 {low}，而不是 {value}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>Each server needs a name and an address, not {value}.</source>
        <translation>每个服务器都需要名称和地址，而不是 {value}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>There are two servers named {name}.</source>
        <translation>有两个服务器都名为 {name}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>The Hub endpoint must be an http:// or https:// address such as https://huggingface.co, not {value}.</source>
        <translation>Hub 地址必须是以 http:// 或 https:// 开头的网址，例如 https://huggingface.co，而不是 {value}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>The settings in {path} could not be opened ({error}). Close other gptdesk windows and try again; if the file is damaged, move it aside to start fresh.</source>
        <translation>无法打开 {path} 中的设置（{error}）。请关闭其他 gptdesk 窗口后重试；如果文件已损坏，请把它移到别处，以全新设置开始。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>The settings in {path} could not be saved ({error}). Close other gptdesk windows and try again; if the file is damaged, move it aside to start fresh.</source>
        <translation>无法保存 {path} 中的设置（{error}）。请关闭其他 gptdesk 窗口后重试；如果文件已损坏，请把它移到别处，以全新设置开始。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/settings.py"/>
        <source>The settings in {path} could not be read ({error}). Close other gptdesk windows and try again; if the file is damaged, move it aside to start fresh.</source>
        <translation>无法读取 {path} 中的设置（{error}）。请关闭其他 gptdesk 窗口后重试；如果文件已损坏，请把它移到别处，以全新设置开始。</translation>
    </message>
</context>
<context>
    <name>settings_dialog</name>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>Context size, CPU threads and GPU layers take effect the next time a model is loaded.</source>
        <translation>上下文大小、CPU 线程和 GPU 层在下次加载模型时生效。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/window/settings_dialog.py"/>
        <source>No system keyring is available, so the token cannot be saved here. Set the HF_TOKEN environment variable instead, or leave the field empty.</source>
        <translation>系统没有可用的密钥环，无法在这里保存令牌。请改为设置环境变量 HF_TOKEN，或将此栏留空。</translation>
    </message>
</context>
<context>
    <name>storage</name>
    <message>
        <location filename="../../gptdesk/core/storage/database.py"/>
        <source>The disk is full: {path} cannot be written. Free some space, then try again.</source>
        <translation>磁盘已满，无法写入 {path}。请释放一些空间，然后重试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/database.py"/>
        <source>The disk reported an error while using {path} ({error}). Check the disk or its connection, then try again.</source>
        <translation>使用 {path} 时磁盘报告错误（{error}）。请检查磁盘或其连接，然后重试。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/database.py"/>
        <source>The data folder {folder} is read-only, so gptdesk cannot save anything there. Make it writable, or start gptdesk with --data-dir and a writable folder; reading works as before.</source>
        <translation>数据文件夹 {folder} 是只读的，gptdesk 无法在其中保存任何内容。请让它可写，或用 --data-dir 指定一个可写的文件夹来启动 gptdesk；读取照常可用。</translation>
    </message>
</context>
<context>
    <name>store</name>
    <message>
        <location filename="../../gptdesk/core/storage/store.py"/>
        <source>The conversation database {path} cannot be opened ({error}). Move it aside to start fresh; the file itself is left untouched.</source>
        <translation>无法打开对话数据库 {path}（{error}）。请把它移到别处以重新开始；该文件本身不会被改动。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/store.py"/>
        <source>The database was written by a newer gptdesk (schema {version}); update gptdesk.</source>
        <translation>该数据库由更新版本的 gptdesk 写入（架构版本 {version}）。请更新 gptdesk。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/store.py"/>
        <source>There is no conversation {id}.</source>
        <translation>不存在对话 {id}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/store.py"/>
        <source>There is no message {id}.</source>
        <translation>不存在消息 {id}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/store.py"/>
        <source>There is no document {id}.</source>
        <translation>不存在文档 {id}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/store.py"/>
        <source>This file is not JSON ({error}).</source>
        <translation>此文件不是 JSON 格式（{error}）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/store.py"/>
        <source>This file is not a conversation: expected {"title": ..., "messages": [{"role": ..., "content": ...}]}.</source>
        <translation>此文件不是对话：应为 {"title": ..., "messages": [{"role": ..., "content": ...}]} 格式。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/store.py"/>
        <source>Message {n} has no role user, assistant or system.</source>
        <translation>第 {n} 条消息的角色不是 user、assistant 或 system。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/store.py"/>
        <source>Message {n} has no text content.</source>
        <translation>第 {n} 条消息没有文本内容。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/storage/store.py"/>
        <source>Imported chat</source>
        <translation>导入的聊天</translation>
    </message>
</context>
<context>
    <name>story</name>
    <message>
        <location filename="../../gptdesk/core/writing/story.py"/>
        <source>The memory and the author's note take {fixed} tokens, and with the {reserve} kept for the continuation nothing of the story fits the model's window of {n_ctx}. Shorten the memory or the note, choose a shorter continuation, or load the model with a larger context size.</source>
        <translation>“记忆”和“作者注”占用了 {fixed} 词元，再为续写预留 {reserve} 词元后，模型 {n_ctx} 词元的上下文窗口已放不下故事的任何内容。请缩短“记忆”或“作者注”，选择更短的续写长度，或用更大的上下文大小加载模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/story.py"/>
        <source>Alternative {i} of {n}</source>
        <translation>第 {i} 个备选，共 {n} 个</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/story.py"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/story.py"/>
        <source>A continuation is being written; stop it first.</source>
        <translation>正在续写，请先停止。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/story.py"/>
        <source>There is nothing to continue yet: write the beginning of the story, or a premise in Memory, then press Continue.</source>
        <translation>还没有可以续写的内容：请先写下故事的开头，或在“记忆”中写下故事设定，然后点击“继续”。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/story.py"/>
        <source>There is no continuation to retry: press Continue first.</source>
        <translation>没有可以重试的续写：请先点击“继续”。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/story.py"/>
        <source>There is no continuation to undo.</source>
        <translation>没有可以撤销的续写。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/story.py"/>
        <source>Ask for 1 to {most} alternatives.</source>
        <translation>备选数量应为 1 到 {most} 个。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/story.py"/>
        <source>There is nothing to continue yet: write the beginning of the story, or a premise in Memory, then ask for alternatives.</source>
        <translation>还没有可以续写的内容：请先写下故事的开头，或在“记忆”中写下故事设定，然后再生成备选。</translation>
    </message>
</context>
<context>
    <name>summarize</name>
    <message>
        <location filename="../../gptdesk/core/writing/summarize.py"/>
        <source>There is no summary length {length}; choose one of: {lengths}.</source>
        <translation>没有 {length} 这种摘要长度，请从以下选项中选择：{lengths}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/summarize.py"/>
        <source>{n} token</source>
        <translation>{n} 个词元</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/summarize.py"/>
        <source>{n} tokens</source>
        <translation>{n} 个词元</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/summarize.py"/>
        <source>1 pass</source>
        <translation>1 轮</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/summarize.py"/>
        <source>{parts} parts + 1 combining pass</source>
        <translation>{parts} 个部分 + 1 轮合并</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/summarize.py"/>
        <source>{parts} parts + up to {combines} combining passes</source>
        <translation>{parts} 个部分 + 最多 {combines} 轮合并</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/summarize.py"/>
        <source>There is no text to summarize: paste some or open a file.</source>
        <translation>没有要摘要的文本：请粘贴文本或打开一个文件。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/summarize.py"/>
        <source>The model's context window ({n_ctx} tokens) is too small to summarize in parts with these prompts. Load the model with a larger context size in Settings (2048 or more), or shorten an edited summary prompt.</source>
        <translation>模型的上下文窗口（{n_ctx} 词元）太小，无法用这些提示词分段摘要。请在设置中用更大的上下文大小（2048 或以上）加载模型，或缩短你修改过的摘要提示词。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/summarize.py"/>
        <source>Summarizing</source>
        <translation>正在生成摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/summarize.py"/>
        <source>Summarizing part {i} of {n}</source>
        <translation>正在摘要第 {i} 部分，共 {n} 部分</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/summarize.py"/>
        <source>The model wrote nothing for any part of the text. Try again, or use another model.</source>
        <translation>模型没有为文本的任何部分写出内容。请重试，或换用其他模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/summarize.py"/>
        <source>Combining {count} summaries ({j} of {n})</source>
        <translation>正在合并 {count} 份摘要（第 {j} 组，共 {n} 组）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/summarize.py"/>
        <source>Combining {count} summaries</source>
        <translation>正在合并 {count} 份摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/summarize.py"/>
        <source>The model stopped without an answer. Try again.</source>
        <translation>模型没有给出回答就停止了。请重试。</translation>
    </message>
</context>
<context>
    <name>summarize_pane</name>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Load a model to summarize (pick one in the top bar or in Models…).</source>
        <translation>请先加载模型再生成摘要（在顶栏或“模型…”中选择）。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>The summary appears here.</source>
        <translation>摘要会显示在这里。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>The summary is written after the parts.</source>
        <translation>各部分处理完后才会写出摘要。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Paste a text, open a file ({keys}) or drop one here.</source>
        <translation>粘贴文本、打开文件（{keys}），或把文件拖放到这里。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Documents (*.txt *.md *.markdown *.html *.htm *.pdf *.docx)</source>
        <translation>文档 (*.txt *.md *.markdown *.html *.htm *.pdf *.docx)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Word (*.docx)</source>
        <translation>Word (*.docx)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Text and Markdown (*.txt *.md *.markdown)</source>
        <translation>文本和 Markdown (*.txt *.md *.markdown)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Web pages (*.html *.htm)</source>
        <translation>网页 (*.html *.htm)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>One sentence</source>
        <translation>一句话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Short paragraph</source>
        <translation>短段落</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Bullet points</source>
        <translation>要点列表</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Detailed</source>
        <translation>详细</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/summarize_pane.py"/>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
</context>
<context>
    <name>transcript</name>
    <message>
        <location filename="../../gptdesk/ui/chat/transcript.py"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/transcript.py"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/transcript.py"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/transcript.py"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/transcript.py"/>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/transcript.py"/>
        <source>failed</source>
        <translation>生成失败</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/transcript.py"/>
        <source>Previous version</source>
        <translation>上一个版本</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/chat/transcript.py"/>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
</context>
<context>
    <name>translate</name>
    <message>
        <location filename="../../gptdesk/core/writing/translate.py"/>
        <source>Choose the language to translate into, one of: {languages}.</source>
        <translation>请选择要译成的语言，可选：{languages}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/translate.py"/>
        <source>{name} is not a language gptdesk knows. Choose one of: {languages}.</source>
        <translation>gptdesk 不认识 {name} 这种语言。请从以下语言中选择：{languages}。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/translate.py"/>
        <source>Translating part {i} of {n}</source>
        <translation>正在翻译第 {i} 部分，共 {n} 部分</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/translate.py"/>
        <source>Translated {n} part</source>
        <translation>已翻译 {n} 个部分</translation>
    </message>
    <message>
        <location filename="../../gptdesk/core/writing/translate.py"/>
        <source>Translated {n} parts</source>
        <translation>已翻译 {n} 个部分</translation>
    </message>
</context>
<context>
    <name>translate_pane</name>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Chinese (Simplified)</source>
        <translation>简体中文</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Japanese</source>
        <translation>日语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Korean</source>
        <translation>韩语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>French</source>
        <translation>法语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>German</source>
        <translation>德语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Spanish</source>
        <translation>西班牙语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Arabic</source>
        <translation>阿拉伯语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Bengali</source>
        <translation>孟加拉语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Bulgarian</source>
        <translation>保加利亚语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Catalan</source>
        <translation>加泰罗尼亚语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Chinese (Traditional)</source>
        <translation>繁体中文</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Croatian</source>
        <translation>克罗地亚语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Czech</source>
        <translation>捷克语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Danish</source>
        <translation>丹麦语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Dutch</source>
        <translation>荷兰语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Estonian</source>
        <translation>爱沙尼亚语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Finnish</source>
        <translation>芬兰语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Greek</source>
        <translation>希腊语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Hebrew</source>
        <translation>希伯来语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Hindi</source>
        <translation>印地语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Hungarian</source>
        <translation>匈牙利语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Indonesian</source>
        <translation>印度尼西亚语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Italian</source>
        <translation>意大利语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Latvian</source>
        <translation>拉脱维亚语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Lithuanian</source>
        <translation>立陶宛语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Malay</source>
        <translation>马来语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Norwegian</source>
        <translation>挪威语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Persian</source>
        <translation>波斯语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Polish</source>
        <translation>波兰语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Portuguese</source>
        <translation>葡萄牙语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Romanian</source>
        <translation>罗马尼亚语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Russian</source>
        <translation>俄语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Serbian</source>
        <translation>塞尔维亚语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Slovak</source>
        <translation>斯洛伐克语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Slovenian</source>
        <translation>斯洛文尼亚语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Swahili</source>
        <translation>斯瓦希里语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Swedish</source>
        <translation>瑞典语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Tagalog</source>
        <translation>他加禄语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Tamil</source>
        <translation>泰米尔语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Thai</source>
        <translation>泰语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Turkish</source>
        <translation>土耳其语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Ukrainian</source>
        <translation>乌克兰语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Urdu</source>
        <translation>乌尔都语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Vietnamese</source>
        <translation>越南语</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/writing/translate_pane.py"/>
        <source>Translation</source>
        <translation>翻译</translation>
    </message>
</context>
<context>
    <name>welcome</name>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>about {amount}</source>
        <translation>约 {amount}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>{name} license</source>
        <translation>{name} 许可证</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>{millions} million parameters</source>
        <comment>or {hundred_millions}</comment>
        <translation>{hundred_millions} 亿参数</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/models/welcome.py"/>
        <source>{billions} billion parameters</source>
        <comment>or {hundred_millions}</comment>
        <translation>{hundred_millions} 亿参数</translation>
    </message>
</context>
</TS>
