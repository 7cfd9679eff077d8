<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>The model that answers (installed on this computer)</source>
        <translation>负责回答的模型（已安装在这台电脑上）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Looking for models…</source>
        <translation>正在查找模型…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Model loading progress</source>
        <translation>模型加载进度</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Where the model runs</source>
        <translation>模型在哪种硬件上运行</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Context used</source>
        <translation>已用上下文</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>How much of the model's context window this conversation uses</source>
        <translation>当前对话占用了模型上下文窗口的多少</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>%v / %m tokens</source>
        <translation>%v / %m 词元</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Models…</source>
        <translation>模型…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Open the model manager</source>
        <translation>打开模型管理器</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Open settings</source>
        <translation>打开设置</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Settings (Ctrl+,)</source>
        <translation>设置（Ctrl+,）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Modes</source>
        <translation>模式</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>{mode} mode</source>
        <translation>{mode}模式</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>{mode} is coming in the next update</source>
        <translation>{mode}将在下次更新中推出</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>New chat</source>
        <translation>新建聊天</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>No conversations yet</source>
        <translation>还没有对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Summarize</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>New summary</source>
        <translation>新建摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Summaries</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>No summaries yet</source>
        <translation>还没有摘要</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Write</source>
        <translation>写作</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>New story</source>
        <translation>新建故事</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Stories</source>
        <translation>故事</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>No stories yet</source>
        <translation>还没有故事</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>New email</source>
        <translation>新建邮件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Emails</source>
        <translation>邮件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>No emails yet</source>
        <translation>还没有邮件</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Translate</source>
        <translation>翻译</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>New translation</source>
        <translation>新建翻译</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Translations</source>
        <translation>翻译</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>No translations yet</source>
        <translation>还没有翻译</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;Import conversation…</source>
        <translation>导入对话(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;Export conversation…</source>
        <translation>导出对话(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>S&amp;top generating</source>
        <translation>停止生成(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;Models</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;Manage models…</source>
        <translation>管理模型(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;About gptdesk</source>
        <translation>关于 gptdesk(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>There is nothing to export yet: write a message first.</source>
        <translation>还没有可导出的内容：请先写一条消息。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>conversation</source>
        <comment>the exported file's name when the title has none</comment>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Unknown export format {format}: use md, json or txt.</source>
        <translation>未知的导出格式 {format}：请使用 md、json 或 txt。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>The conversation could not be saved to {path}: {error}. Choose another folder.</source>
        <translation>无法将对话保存到 {path}：{error}。请选择其他文件夹。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Import conversation</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Conversations (*.json)</source>
        <translation>对话文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>the file is larger than 50 MB; is it a conversation?</source>
        <translation>文件超过 50 MB，它真的是对话文件吗？</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>{name} could not be imported: {error}</source>
        <translation>无法导入 {name}：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Imported “{title}”</source>
        <translation>已导入“{title}”</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>{path} could not be read: {error}</source>
        <translation>无法读取 {path}：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Enter: send · Shift+Enter: new line · Esc: stop generating
Ctrl+N: new chat · Ctrl+F: find conversations · Ctrl+E: export
Ctrl+,: settings · F2: rename a conversation · Delete: delete it
Tab / Shift+Tab: move between controls and message actions</source>
        <translation>Enter：发送 · Shift+Enter：换行 · Esc：停止生成
Ctrl+N：新建聊天 · Ctrl+F：查找对话 · Ctrl+E：导出
Ctrl+,：设置 · F2：重命名对话 · Delete：删除对话
Tab / Shift+Tab：在各控件和消息操作之间移动</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>About gptdesk</source>
        <translation>关于 gptdesk</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>gptdesk {version}

A local AI writing desk. Models run on this computer; your conversations stay in its database and are never sent anywhere.</source>
        <translation>gptdesk {version}

本地 AI 写作台。模型在这台电脑上运行；你的对话保存在本机的数据库中，绝不会发送到任何地方。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>No model is installed, not even the built-in one. Open Models… to download one, or reinstall gptdesk to get the built-in model back.</source>
        <translation>没有安装任何模型，连内置模型也不在了。请打开“模型…”下载一个，或重新安装 gptdesk 以恢复内置模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Looking for installed models failed: {error}</source>
        <translation>查找已安装的模型失败：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Get more models…</source>
        <translation>获取更多模型…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>{name} loaded in {seconds} s · context {tokens} tokens</source>
        <translation>{name} 已加载，用时 {seconds} 秒 · 上下文 {tokens} 词元</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>{backend} · {offloaded}/{total} layers</source>
        <translation>{backend} · {offloaded}/{total} 层</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>CPU · 1 thread</source>
        <translation>CPU · 1 个线程</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>CPU · {threads} threads</source>
        <translation>CPU · {threads} 个线程</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>&amp;{label}</source>
        <comment>the New item</comment>
        <translation>{label}(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>{tokens} tokens · {speed} tokens/s · first token after {seconds} s</source>
        <translation>{tokens} 词元 · {speed} 词元/秒 · 首个词元用时 {seconds} 秒</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Writing…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Opening the model manager…</source>
        <translation>正在打开模型管理器…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Downloaded {name}; it is in the model list now.</source>
        <translation>已下载 {name}，现在可以在模型列表中找到它。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>A download failed: {error}</source>
        <translation>有一项下载失败：{error}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>The models folder changed. Downloads already running finish in the old folder; restart gptdesk to download into the new one.</source>
        <translation>模型文件夹已更改。正在进行的下载仍会在原文件夹中完成；重启 gptdesk 后，新的下载才会保存到新文件夹。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>The new model settings apply when a model is loaded next: pick the model again in the list above to reload it now.</source>
        <translation>新的模型设置将在下次加载模型时生效：在上方列表中重新选择该模型，即可立即重新加载。</translation>
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
    <name>WelcomePage</name>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>Welcome to gptdesk</source>
        <translation>欢迎使用 gptdesk</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>Everything runs on this computer: what you write and what the model answers never leave it. Only downloading a model uses the internet.</source>
        <translation>一切都在这台电脑上运行：你写的内容和模型的回答都不会离开它。只有下载模型时才会联网。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>Recommended for this computer</source>
        <translation>为这台电脑推荐</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>Recommended model</source>
        <translation>推荐的模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>{tokens}-token context</source>
        <translation>{tokens} 词元上下文</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>Download: {size} (an estimate; the exact size is shown before the download starts). It fits in the {free} of memory free now and leaves room for your other programs.</source>
        <translation>下载大小：{size}（估计值，下载开始前会显示确切大小）。当前可用内存为 {free}，足够运行它，也能给其他程序留出空间。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>Download {name} ({size})</source>
        <translation>下载 {name}（{size}）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>Download {name}, {size}</source>
        <translation>下载 {name}，{size}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>No recommended model fits right now</source>
        <translation>目前没有适合的推荐模型</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>This computer has {free} of memory free, which is not enough to run any of the recommended models comfortably. The small built-in model below needs very little. You can also close other programs and come back, or browse all models to pick one yourself.</source>
        <translation>这台电脑目前只有 {free} 可用内存，不足以流畅运行任何推荐模型。下面的小型内置模型对内存要求很低。你也可以关闭其他程序后再回来，或浏览全部模型，自己挑选一个。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>This computer has {free} of memory free, which is not enough to run any of the recommended models comfortably. Close other programs and come back, or browse all models to pick one yourself.</source>
        <translation>这台电脑目前只有 {free} 可用内存，不足以流畅运行任何推荐模型。请关闭其他程序后再回来，或浏览全部模型，自己挑选一个。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>Start now with the small built-in model (works offline)</source>
        <translation>立即使用小型内置模型开始（可离线使用）</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>Start now with the small built-in model</source>
        <translation>立即使用小型内置模型开始</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>The built-in model is missing from this installation: reinstall gptdesk to get it back, or download the model above.</source>
        <translation>当前安装中缺少内置模型：请重新安装 gptdesk 以恢复它，或下载上面推荐的模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>The built-in model is missing from this installation: reinstall gptdesk to get it back.</source>
        <translation>当前安装中缺少内置模型：请重新安装 gptdesk 以恢复它。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>It is quick and private but small: good for trying gptdesk and short tasks. You can download a bigger model any time.</source>
        <translation>它速度快、保护隐私，但规模较小：适合试用 gptdesk 和处理简短任务。你随时可以下载更大的模型。</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>Browse all models…</source>
        <translation>浏览全部模型…</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>Browse all models</source>
        <translation>浏览全部模型</translation>
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
    <name>main_window</name>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>JSON, for importing again (*.json)</source>
        <translation>JSON，可再次导入 (*.json)</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/main_window.py"/>
        <source>Plain text (*.txt)</source>
        <translation>纯文本 (*.txt)</translation>
    </message>
</context>
<context>
    <name>welcome</name>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>about {amount}</source>
        <translation>约 {amount}</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>{name} license</source>
        <translation>{name} 许可证</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>{millions} million parameters</source>
        <comment>or {hundred_millions}</comment>
        <translation>{hundred_millions} 亿参数</translation>
    </message>
    <message>
        <location filename="../../gptdesk/ui/welcome.py"/>
        <source>{billions} billion parameters</source>
        <comment>or {hundred_millions}</comment>
        <translation>{hundred_millions} 亿参数</translation>
    </message>
</context>
</TS>
