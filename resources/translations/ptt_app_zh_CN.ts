<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Listening</source>
        <translation>收听中</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考中</translation>
    </message>
    <message>
        <source>Speaking</source>
        <translation>说话中</translation>
    </message>
    <message>
        <source>No session</source>
        <translation>无会话</translation>
    </message>
    <message>
        <source>No instance</source>
        <translation>无实例</translation>
    </message>
    <message>
        <source>Asking…</source>
        <translation>查询中…</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Instance gone</source>
        <translation>实例已不存在</translation>
    </message>
    <message>
        <source>Heard</source>
        <translation>听到</translation>
    </message>
    <message>
        <source>user</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>回答</translation>
    </message>
    <message>
        <source>agent</source>
        <translation>智能体</translation>
    </message>
    <message>
        <source>Release the talk button first: the agent cannot speak while it listens.</source>
        <translation>请先松开通话按钮：智能体收听时无法说话。</translation>
    </message>
    <message>
        <source>The turn number (Data.Round) of the latest answer that carried one</source>
        <translation>最近一次带有轮次的应答中的轮次编号（Data.Round）</translation>
    </message>
    <message>
        <source>Agent status icon</source>
        <translation>智能体状态图标</translation>
    </message>
    <message>
        <source>Agent:</source>
        <translation>智能体：</translation>
    </message>
    <message>
        <source>QueryAgentInstanceStatus answered {status} at {time}. {poll}</source>
        <translation>QueryAgentInstanceStatus 于 {time} 应答 {status}。{poll}</translation>
    </message>
    <message>
        <source>Round {round}</source>
        <translation>Round {round}</translation>
    </message>
    <message>
        <source>Agent status: {status}</source>
        <translation>智能体状态：{status}</translation>
    </message>
    <message>
        <source>Asked about every {active} s during a turn and every {idle} s while idle.</source>
        <translation>一轮对话进行中每 {active} 秒查询一次，空闲时每 {idle} 秒查询一次。</translation>
    </message>
    <message>
        <source>Problem to fix</source>
        <translation>需要处理的问题</translation>
    </message>
    <message>
        <source>Dismiss: hide this notice (it comes back if the problem happens again)</source>
        <translation>关闭：隐藏此提示（问题再次出现时会重新显示）</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Create instance</source>
        <translation>创建实例</translation>
    </message>
    <message>
        <source>Start demo voice client</source>
        <translation>启动演示语音客户端</translation>
    </message>
    <message>
        <source>Interrupt</source>
        <translation>打断</translation>
    </message>
    <message>
        <source>InterruptAgentInstance: stop the agent thinking or speaking now</source>
        <translation>InterruptAgentInstance：立即让智能体停止思考或说话</translation>
    </message>
    <message>
        <source>What the agent heard and answered appears here after each turn.</source>
        <translation>每轮对话后，这里会显示智能体听到和回答的内容。</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>对话记录</translation>
    </message>
    <message>
        <source>What the agent heard and answered (GetAgentInstanceMsgList)</source>
        <translation>智能体听到和回答的内容（GetAgentInstanceMsgList）</translation>
    </message>
    <message>
        <source>No transcript yet.</source>
        <translation>暂无对话记录。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>GetAgentInstanceMsgList now</source>
        <translation>立即执行 GetAgentInstanceMsgList</translation>
    </message>
    <message>
        <source>Refresh the transcript</source>
        <translation>刷新对话记录</translation>
    </message>
    <message>
        <source>Text for the agent to say (at most {count} characters)</source>
        <translation>让智能体播报的文字（最多 {count} 个字符）</translation>
    </message>
    <message>
        <source>SendAgentInstanceTTS: the agent says this text in the room</source>
        <translation>SendAgentInstanceTTS：智能体在房间里播报这段文字</translation>
    </message>
    <message>
        <source>Text for the agent to say</source>
        <translation>让智能体播报的文字</translation>
    </message>
    <message>
        <source>Say</source>
        <translation>播报</translation>
    </message>
    <message>
        <source>Updated at {time}: {count} messages, the latest {shown} shown.</source>
        <translation>更新于 {time}：共 {count} 条消息，显示最新的 {shown} 条。</translation>
    </message>
    <message>
        <source>Updated at {time}: {count} message.</source>
        <translation>更新于 {time}：{count} 条消息。</translation>
    </message>
    <message>
        <source>Updated at {time}: {count} messages.</source>
        <translation>更新于 {time}：{count} 条消息。</translation>
    </message>
    <message>
        <source>Not updated at {time}: {why}</source>
        <translation>{time} 未能更新：{why}</translation>
    </message>
    <message>
        <source>The agent is saying it (Round {round}).</source>
        <translation>智能体正在播报（Round {round}）。</translation>
    </message>
    <message>
        <source>The agent is saying it.</source>
        <translation>智能体正在播报。</translation>
    </message>
    <message>
        <source>Not said: {why}</source>
        <translation>未播报：{why}</translation>
    </message>
    <message>
        <source>{count} of at most {limit} characters</source>
        <translation>{count} 个字符，最多 {limit} 个</translation>
    </message>
    <message>
        <source>SendAgentInstanceTTS with this text</source>
        <translation>用这段文字执行 SendAgentInstanceTTS</translation>
    </message>
    <message>
        <source>No agent instance to speak: open a session with an instance first.</source>
        <translation>没有可以说话的智能体实例：请先打开一个带实例的会话。</translation>
    </message>
    <message>
        <source>Type what the agent should say.</source>
        <translation>请输入要智能体播报的内容。</translation>
    </message>
    <message>
        <source>Too long by {over} character: the agent says at most {limit}.</source>
        <translation>超出 {over} 个字符：智能体最多播报 {limit} 个字符。</translation>
    </message>
    <message>
        <source>Too long by {over} characters: the agent says at most {limit}.</source>
        <translation>超出 {over} 个字符：智能体最多播报 {limit} 个字符。</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>The last status query failed: {why}</source>
        <translation>上一次状态查询失败：{why}</translation>
    </message>
    <message>
        <source>Interrupted.</source>
        <translation>已打断。</translation>
    </message>
    <message>
        <source>Interrupt failed: {why}</source>
        <translation>打断失败：{why}</translation>
    </message>
    <message>
        <source>Interrupting…</source>
        <translation>正在打断…</translation>
    </message>
    <message>
        <source>The demo user&apos;s voice client is publishing again: press again to talk.</source>
        <translation>演示用户的语音客户端已重新推流：请再次按下通话。</translation>
    </message>
    <message>
        <source>report: {path}</source>
        <translation>报告：{path}</translation>
    </message>
    <message>
        <source>the report could not be written</source>
        <translation>无法写入报告</translation>
    </message>
    <message>
        <source>Internal error in {thread}: {summary}; {where}</source>
        <translation>{thread} 中发生内部错误：{summary}；{where}</translation>
    </message>
    <message>
        <source>Instance {instance} is used for this run, but the settings file could not be written ({reason}): it will not be remembered.</source>
        <translation>本次运行使用实例 {instance}，但无法写入设置文件（{reason}）：不会记住该实例。</translation>
    </message>
    <message>
        <source>{problem} Nothing was saved.</source>
        <translation>{problem}未保存任何内容。</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>{field}: {problem}</source>
        <translation>{field}：{problem}</translation>
    </message>
    <message>
        <source>Settings refused: {problems}. Nothing was saved.</source>
        <translation>设置被拒绝：{problems}。未保存任何内容。</translation>
    </message>
    <message>
        <source>The settings file could not be written: {reason}. Nothing was saved.</source>
        <translation>无法写入设置文件：{reason}。未保存任何内容。</translation>
    </message>
    <message>
        <source>Export failed: {path}: {reason}.</source>
        <translation>导出失败：{path}：{reason}。</translation>
    </message>
    <message>
        <source>Exported {count} rows to {path}.</source>
        <translation>已将 {count} 行导出到 {path}。</translation>
    </message>
    <message>
        <source>Audio cues: off</source>
        <translation>提示音：关</translation>
    </message>
    <message>
        <source>Audio cues: opening the sound output…</source>
        <translation>提示音：正在打开声音输出…</translation>
    </message>
    <message>
        <source>Audio cues unavailable: {problem}</source>
        <translation>提示音不可用：{problem}</translation>
    </message>
    <message>
        <source>the cue player failed to open ({error})</source>
        <translation>提示音播放器打开失败（{error}）</translation>
    </message>
    <message>
        <source>{name}: {value}</source>
        <translation>{name}：{value}</translation>
    </message>
    <message>
        <source>no {missing} saved in the keyring for profile {profile}</source>
        <translation>配置档案 {profile} 在密钥环中没有保存 {missing}</translation>
    </message>
    <message>
        <source>AppId and ServerSecret</source>
        <translation>AppId 和 ServerSecret</translation>
    </message>
    <message>
        <source>must be a whole number from 1 to {limit}; what was given looks like a ServerSecret (32 letters and digits): put that in the ServerSecret field</source>
        <translation>必须是 1 到 {limit} 之间的整数；输入的内容看起来像 ServerSecret（32 个字母和数字）：请填入 ServerSecret 字段</translation>
    </message>
    <message>
        <source>must be a whole number from 1 to {limit}; what was given has other characters than digits (not shown, as it may be a secret)</source>
        <translation>必须是 1 到 {limit} 之间的整数；输入的内容含有数字以外的字符（不予显示，因为它可能是密钥）</translation>
    </message>
    <message>
        <source>no system keyring is available</source>
        <translation>没有可用的系统密钥环</translation>
    </message>
    <message>
        <source>the keyring backend {name} would keep the secret in plain text or nowhere</source>
        <translation>密钥环后端 {name} 会以明文保存密钥或根本不保存</translation>
    </message>
    <message>
        <source>{setting} names a keyring backend that cannot be loaded ({error})</source>
        <translation>{setting} 指定的密钥环后端无法加载（{error}）</translation>
    </message>
    <message>
        <source>the keyring configuration {path}</source>
        <translation>密钥环配置文件 {path}</translation>
    </message>
    <message>
        <source>the keyring could not be read: {error}</source>
        <translation>无法读取密钥环：{error}</translation>
    </message>
    <message>
        <source>the keyring could not be written: {error}</source>
        <translation>无法写入密钥环：{error}</translation>
    </message>
    <message>
        <source>the keyring is locked</source>
        <translation>密钥环已锁定</translation>
    </message>
    <message>
        <source>the keyring could not be opened</source>
        <translation>无法打开密钥环</translation>
    </message>
    <message>
        <source>the keyring failed: {error}</source>
        <translation>密钥环出错：{error}</translation>
    </message>
    <message>
        <source>is empty</source>
        <translation>为空</translation>
    </message>
    <message>
        <source>must be from 1 to {limit} (an unsigned 32-bit number)</source>
        <translation>必须在 1 到 {limit} 之间（32 位无符号整数）</translation>
    </message>
    <message>
        <source>contains whitespace (copy it again from the ZEGOCLOUD console)</source>
        <translation>包含空白字符（请从 ZEGOCLOUD 控制台重新复制）</translation>
    </message>
    <message>
        <source>must be {length} characters, got {count}</source>
        <translation>必须是 {length} 个字符，实际为 {count} 个</translation>
    </message>
    <message>
        <source>must contain only letters and digits</source>
        <translation>只能包含字母和数字</translation>
    </message>
    <message>
        <source>not connected: no session is open (check Settings); nothing was sent</source>
        <translation>未连接：没有打开的会话（请检查设置）；未发送任何请求</translation>
    </message>
    <message>
        <source>superseded by {action} Sequence {sequence} while the server was busy; not sent</source>
        <translation>服务器繁忙期间已被 {action}（Sequence {sequence}）取代；未发送</translation>
    </message>
    <message>
        <source>PTT Console</source>
        <translation>PTT 控制台</translation>
    </message>
    <message>
        <source>Qt 6 and PySide6 are used under the LGPL-3.0; requests and keyring under their own open-source licences.</source>
        <translation>Qt 6 和 PySide6 依据 LGPL-3.0 使用；requests 和 keyring 依据各自的开源许可证使用。</translation>
    </message>
    <message>
        <source>unknown (not installed from a package)</source>
        <translation>未知（不是从软件包安装的）</translation>
    </message>
    <message>
        <source>Push-to-talk operator console for ZEGOCLOUD AI agents in walkie-talkie mode.</source>
        <translation>用于对讲模式 ZEGOCLOUD AI 智能体的按键通话操作台。</translation>
    </message>
    <message>
        <source>Licence: {licence}.</source>
        <translation>许可证：{licence}。</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Open &amp;data folder</source>
        <translation>打开数据文件夹(&amp;D)</translation>
    </message>
    <message>
        <source>Open &amp;log file</source>
        <translation>打开日志文件(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;About {app}</source>
        <translation>关于 {app}(&amp;A)</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>关于 {app}</translation>
    </message>
    <message>
        <source>Opened the data folder {path}.</source>
        <translation>已打开数据文件夹 {path}。</translation>
    </message>
    <message>
        <source>There is no log file yet: {path} is written once the app has logged something.</source>
        <translation>还没有日志文件：应用记录了内容之后才会写入 {path}。</translation>
    </message>
    <message>
        <source>Opened the log file {path}.</source>
        <translation>已打开日志文件 {path}。</translation>
    </message>
    <message>
        <source>No program is set up to open {path}: open it from your file manager.</source>
        <translation>没有程序可以打开 {path}：请在文件管理器中打开。</translation>
    </message>
    <message>
        <source>Talk from any application; release to stop</source>
        <translation>在任何应用中都可通话；松开即停止</translation>
    </message>
    <message>
        <source>Hold {key}</source>
        <translation>按住 {key}</translation>
    </message>
    <message>
        <source>Talk while the window has focus; release to stop</source>
        <translation>窗口有焦点时通话；松开即停止</translation>
    </message>
    <message>
        <source>Tab, Shift+Tab</source>
        <translation>Tab、Shift+Tab</translation>
    </message>
    <message>
        <source>Move between the controls; Space or Enter on the talk button talks too</source>
        <translation>在各控件之间移动；焦点在通话按钮上时按住 Space 或 Enter 也可通话</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Talk key: {key} while this window has focus (Settings: scope)</source>
        <translation>通话键：窗口有焦点时使用 {key}（设置：作用范围）</translation>
    </message>
    <message>
        <source>Global push-to-talk: starting ({key})…</source>
        <translation>全局按键通话：正在启动（{key}）…</translation>
    </message>
    <message>
        <source>Talk key: {key}, in every application ({backend})</source>
        <translation>通话键：{key}，在所有应用中有效（{backend}）</translation>
    </message>
    <message>
        <source>Global push-to-talk unavailable: {reason}. {fallback}</source>
        <translation>全局按键通话不可用：{reason}。{fallback}</translation>
    </message>
    <message>
        <source>Global push-to-talk unavailable ({backend}): {reason}. {fallback}</source>
        <translation>全局按键通话不可用（{backend}）：{reason}。{fallback}</translation>
    </message>
    <message>
        <source>A mouse button cannot be the window key: use the talk button, or bind a key.</source>
        <translation>鼠标按键不能用作窗口内按键：请使用通话按钮，或绑定一个键盘按键。</translation>
    </message>
    <message>
        <source>Using the window key ({key}).</source>
        <translation>改用窗口内按键（{key}）。</translation>
    </message>
    <message>
        <source>.</source>
        <translation>。</translation>
    </message>
    <message>
        <source>No session open</source>
        <translation>没有打开的会话</translation>
    </message>
    <message>
        <source>no instance yet</source>
        <translation>还没有实例</translation>
    </message>
    <message>
        <source>The AgentInstanceId this panel acts on</source>
        <translation>本面板操作的 AgentInstanceId</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the AgentInstanceId to the clipboard</source>
        <translation>将 AgentInstanceId 复制到剪贴板</translation>
    </message>
    <message>
        <source>CreateAgentInstance in walkie-talkie mode, with the profile&apos;s AgentId, UserId, room and InterruptMode</source>
        <translation>用配置档案中的 AgentId、UserId、房间和 InterruptMode，以对讲模式执行 CreateAgentInstance</translation>
    </message>
    <message>
        <source>Query status</source>
        <translation>查询状态</translation>
    </message>
    <message>
        <source>QueryAgentInstanceStatus of this instance</source>
        <translation>对此实例执行 QueryAgentInstanceStatus</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>DeleteAgentInstance (asks first)</source>
        <translation>DeleteAgentInstance（会先询问）</translation>
    </message>
    <message>
        <source>Use for talking</source>
        <translation>用于通话</translation>
    </message>
    <message>
        <source>Save this AgentInstanceId in the profile and talk to it</source>
        <translation>将此 AgentInstanceId 保存到配置档案并与之通话</translation>
    </message>
    <message>
        <source>The Data of the last answer appears here</source>
        <translation>最近一次应答的 Data 会显示在这里</translation>
    </message>
    <message>
        <source>Data of the last answer, as the server sent it</source>
        <translation>最近一次应答的 Data，与服务器发送的一致</translation>
    </message>
    <message>
        <source>Last answer&apos;s Data</source>
        <translation>最近一次应答的 Data</translation>
    </message>
    <message>
        <source>Last answer</source>
        <translation>最近一次应答</translation>
    </message>
    <message>
        <source>Profile {profile} · AgentId {agent} · room {room} · walkie-talkie mode</source>
        <translation>配置档案 {profile} · AgentId {agent} · 房间 {room} · 对讲模式</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>（未设置）</translation>
    </message>
    <message>
        <source>{action}: {why}
RequestId {request_id} · {latency} ms</source>
        <translation>{action}：{why}
RequestId {request_id} · {latency} ms</translation>
    </message>
    <message>
        <source>The answer has no AgentInstanceId.</source>
        <translation>应答中没有 AgentInstanceId。</translation>
    </message>
    <message>
        <source>Instance {instance} deleted.</source>
        <translation>实例 {instance} 已删除。</translation>
    </message>
    <message>
        <source>No answer after {seconds} s: is a session open? A late answer will still be shown here.</source>
        <translation>{seconds} 秒后仍无应答：会话是否已打开？迟到的应答仍会显示在这里。</translation>
    </message>
    <message>
        <source>Not set: {names}. Add them in File → Settings… (New instances) before creating an instance.</source>
        <translation>未设置：{names}。创建实例前，请在 文件 → 设置…（新实例）中添加它们。</translation>
    </message>
    <message>
        <source>Not set: {names}. Add it in File → Settings… (New instances) before creating an instance.</source>
        <translation>未设置：{names}。创建实例前，请在 文件 → 设置…（新实例）中添加。</translation>
    </message>
    <message>
        <source>The talk button uses this instance.</source>
        <translation>通话按钮正在使用此实例。</translation>
    </message>
    <message>
        <source>Delete agent instance</source>
        <translation>删除智能体实例</translation>
    </message>
    <message>
        <source>Delete agent instance {instance}?</source>
        <translation>要删除智能体实例 {instance} 吗？</translation>
    </message>
    <message>
        <source>{action}: waiting for the server…</source>
        <translation>{action}：正在等待服务器…</translation>
    </message>
    <message>
        <source>Talking to this instance</source>
        <translation>正在与此实例通话</translation>
    </message>
    <message>
        <source>press the key, pedal or mouse side button</source>
        <translation>请按下按键、踏板或鼠标侧键</translation>
    </message>
    <message>
        <source>{key} cannot be the talk key: {problem}</source>
        <translation>{key} 不能用作通话键：{problem}</translation>
    </message>
    <message>
        <source>Only {rows}</source>
        <translation>仅显示 {rows}</translation>
    </message>
    <message>
        <source>Showing only rows with action {action} and status {status}.</source>
        <translation>仅显示操作为 {action} 且状态为 {status} 的行。</translation>
    </message>
    <message>
        <source>Showing only rows with action {action}.</source>
        <translation>仅显示操作为 {action} 的行。</translation>
    </message>
    <message>
        <source>Showing only rows with status {status}.</source>
        <translation>仅显示状态为 {status} 的行。</translation>
    </message>
    <message>
        <source>Showing every row.</source>
        <translation>显示所有行。</translation>
    </message>
    <message>
        <source>Click a RequestId to copy it; right-click a row for more</source>
        <translation>点击 RequestId 即可复制；右键点击某行查看更多操作</translation>
    </message>
    <message>
        <source>Request log</source>
        <translation>请求日志</translation>
    </message>
    <message>
        <source>Every request the app sent, newest first. Click a RequestId to copy it; the context menu key opens a row&apos;s menu.</source>
        <translation>应用发送的每个请求，最新的在最上面。点击 RequestId 即可复制；按菜单键打开所选行的菜单。</translation>
    </message>
    <message>
        <source>That row has no RequestId: the server did not answer it.</source>
        <translation>该行没有 RequestId：服务器没有应答它。</translation>
    </message>
    <message>
        <source>Copied RequestId {request_id}.</source>
        <translation>已复制 RequestId {request_id}。</translation>
    </message>
    <message>
        <source>Copied the row.</source>
        <translation>已复制该行。</translation>
    </message>
    <message>
        <source>Copied the row as JSON.</source>
        <translation>已将该行复制为 JSON。</translation>
    </message>
    <message>
        <source>Copy RequestId</source>
        <translation>复制 RequestId</translation>
    </message>
    <message>
        <source>Copy row</source>
        <translation>复制该行</translation>
    </message>
    <message>
        <source>Copy row as JSON</source>
        <translation>将该行复制为 JSON</translation>
    </message>
    <message>
        <source>Show only {action} rows</source>
        <translation>仅显示 {action} 行</translation>
    </message>
    <message>
        <source>Show only “{status}” rows</source>
        <translation>仅显示“{status}”行</translation>
    </message>
    <message>
        <source>Show all rows</source>
        <translation>显示所有行</translation>
    </message>
    <message>
        <source>Hide routine status and transcript reads</source>
        <translation>隐藏例行的状态查询和对话记录读取</translation>
    </message>
    <message>
        <source>Publishing audio (voice client running)</source>
        <translation>正在推送音频（语音客户端运行中）</translation>
    </message>
    <message>
        <source>In the room, not publishing</source>
        <translation>在房间中，未推流</translation>
    </message>
    <message>
        <source>Out of the room</source>
        <translation>不在房间中</translation>
    </message>
    <message>
        <source>Request log and transcript</source>
        <translation>请求日志和对话记录</translation>
    </message>
    <message>
        <source>Every request the app sent, newest first</source>
        <translation>应用发送的每个请求，最新的在最上面</translation>
    </message>
    <message>
        <source>What the agent heard and answered (GetAgentInstanceMsgList), and the Say box</source>
        <translation>智能体听到和回答的内容（GetAgentInstanceMsgList），以及播报框</translation>
    </message>
    <message>
        <source>Agent instance</source>
        <translation>智能体实例</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>配置档案</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>接口地址</translation>
    </message>
    <message>
        <source>{name}:</source>
        <translation>{name}：</translation>
    </message>
    <message>
        <source>Clear the request log&apos;s filter</source>
        <translation>清除请求日志的筛选</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Export log as &amp;CSV…</source>
        <translation>将日志导出为 &amp;CSV…</translation>
    </message>
    <message>
        <source>Export log as &amp;JSON…</source>
        <translation>将日志导出为 &amp;JSON…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Copy RequestId</source>
        <translation>复制 RequestId(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Demo</source>
        <translation>演示(&amp;D)</translation>
    </message>
    <message>
        <source>Demo user: {state}</source>
        <translation>演示用户：{state}</translation>
    </message>
    <message>
        <source>The demo user is now: {state}.</source>
        <translation>演示用户现在：{state}。</translation>
    </message>
    <message>
        <source>Waiting for StopListening to be answered…</source>
        <translation>正在等待 StopListening 的应答…</translation>
    </message>
    <message>
        <source>built-in demo simulator</source>
        <translation>内置演示模拟器</translation>
    </message>
    <message>
        <source>{profile} — AppId {app_id}</source>
        <translation>{profile} — AppId {app_id}</translation>
    </message>
    <message>
        <source>Not set: create one in View → Agent instance</source>
        <translation>未设置：请在 视图 → 智能体实例 中创建</translation>
    </message>
    <message>
        <source>PTT Console — {profile}</source>
        <translation>PTT 控制台 — {profile}</translation>
    </message>
    <message>
        <source>built-in demo</source>
        <translation>内置演示</translation>
    </message>
    <message>
        <source>Ready. Credentials: {backend}.</source>
        <translation>就绪。凭据：{backend}。</translation>
    </message>
    <message>
        <source>No AgentInstanceId: create one in View → Agent instance, or set it in File → Settings….</source>
        <translation>没有 AgentInstanceId：请在 视图 → 智能体实例 中创建，或在 文件 → 设置… 中填写。</translation>
    </message>
    <message>
        <source>{problem} Until then the window runs on the built-in demo simulator.</source>
        <translation>{problem}在此之前，窗口使用内置演示模拟器运行。</translation>
    </message>
    <message>
        <source>All log rows are written to the request log again.</source>
        <translation>所有日志行已重新写入请求日志。</translation>
    </message>
    <message>
        <source>{action} failed: {why}</source>
        <translation>{action} 失败：{why}</translation>
    </message>
    <message>
        <source>{title} ({count} new)</source>
        <translation>{title}（{count} 条新消息）</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Export request log as {format}</source>
        <translation>将请求日志导出为 {format}</translation>
    </message>
    <message>
        <source>PTT Console — mini</source>
        <translation>PTT 控制台 — 迷你窗口</translation>
    </message>
    <message>
        <source>Mini talk window</source>
        <translation>迷你通话窗口</translation>
    </message>
    <message>
        <source>Drag the frame to move it; View → Mini talk window hides it</source>
        <translation>拖动边框即可移动；视图 → 迷你通话窗口 可将其隐藏</translation>
    </message>
    <message>
        <source>Talk state icon</source>
        <translation>通话状态图标</translation>
    </message>
    <message>
        <source>Press and hold to talk; release to stop</source>
        <translation>按住即可通话；松开即停止</translation>
    </message>
    <message>
        <source>Hide the mini window (View → Mini talk window shows it again)</source>
        <translation>隐藏迷你窗口（视图 → 迷你通话窗口 可再次显示）</translation>
    </message>
    <message>
        <source>Hide the mini window</source>
        <translation>隐藏迷你窗口</translation>
    </message>
    <message>
        <source>Talk state: {state}</source>
        <translation>通话状态：{state}</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>No answer</source>
        <translation>无应答</translation>
    </message>
    <message>
        <source>Ignored (outdated)</source>
        <translation>已忽略（过时）</translation>
    </message>
    <message>
        <source>Superseded</source>
        <translation>已取代</translation>
    </message>
    <message>
        <source>Sent…</source>
        <translation>已发送…</translation>
    </message>
    <message>
        <source>{action} acted at {time}</source>
        <translation>{action} 操作于 {time}</translation>
    </message>
    <message>
        <source>{action} sent at {time}</source>
        <translation>{action} 发送于 {time}</translation>
    </message>
    <message>
        <source>Profile {profile}, AgentInstanceId {instance}</source>
        <translation>配置档案 {profile}，AgentInstanceId {instance}</translation>
    </message>
    <message>
        <source>Status: {status}; HTTP {http}; Code {code}; Round {round}</source>
        <translation>状态：{status}；HTTP {http}；Code {code}；Round {round}</translation>
    </message>
    <message>
        <source>RequestId: {request_id} (click it, or press Ctrl+C, to copy it)</source>
        <translation>RequestId：{request_id}（点击它或按 Ctrl+C 即可复制）</translation>
    </message>
    <message>
        <source>Each profile keeps its own settings and credentials. Pick one from the list to edit it, or type a new name to add a profile starting from the values shown.</source>
        <translation>每个配置档案都有自己的设置和凭据。从列表中选择一个进行编辑，或输入新名称，以当前显示的值新建配置档案。</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Where the AI Agent API is served: the unified address, a regional one, or a custom URL</source>
        <translation>AI Agent API 的服务地址：统一地址、区域地址或自定义 URL</translation>
    </message>
    <message>
        <source>Custom URL</source>
        <translation>自定义 URL</translation>
    </message>
    <message>
        <source>The AI Agent API URL when the region is Custom; https, or http only to this machine</source>
        <translation>区域为“自定义”时的 AI Agent API URL；须为 https，仅本机地址可用 http</translation>
    </message>
    <message>
        <source>The walkie-talkie agent instance the talk button speaks to</source>
        <translation>通话按钮所对话的对讲模式智能体实例</translation>
    </message>
    <message>
        <source>Who is talking: the real user&apos;s UserId in the RTC room (at most 32 letters, digits, - or _)</source>
        <translation>说话人：真实用户在 RTC 房间中的 UserId（最多 32 个字母、数字、- 或 _）</translation>
    </message>
    <message>
        <source>Connect timeout</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>Give up connecting to the endpoint after this many seconds</source>
        <translation>连接接口地址超过此秒数即放弃</translation>
    </message>
    <message>
        <source>Read timeout</source>
        <translation>读取超时</translation>
    </message>
    <message>
        <source>Give up waiting for an answer after this many seconds</source>
        <translation>等待应答超过此秒数即放弃</translation>
    </message>
    <message>
        <source>Talk key</source>
        <translation>通话键</translation>
    </message>
    <message>
        <source>Click here, then press the key, foot pedal or mouse side button to talk with; F13-F24 are what most USB foot pedals send</source>
        <translation>点击此处，然后按下用于通话的按键、脚踏板或鼠标侧键；大多数 USB 脚踏板发送的是 F13-F24</translation>
    </message>
    <message>
        <source>Talk key works</source>
        <translation>通话键作用范围</translation>
    </message>
    <message>
        <source>Only while this window has focus, or in every application (global)</source>
        <translation>仅在本窗口有焦点时，或在所有应用中（全局）</translation>
    </message>
    <message>
        <source>Latch</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Double-tap the talk key to keep listening until the next press</source>
        <translation>双击通话键可持续收听，直到下一次按下</translation>
    </message>
    <message>
        <source>Release tail</source>
        <translation>松开延时</translation>
    </message>
    <message>
        <source>Keep listening this long after the release, so word endings are not cut</source>
        <translation>松开后继续收听这么久，避免截断句尾</translation>
    </message>
    <message>
        <source>Sound cues</source>
        <translation>提示音</translation>
    </message>
    <message>
        <source>A short sound on press, when the agent listens, and on release</source>
        <translation>按下时、智能体开始收听时和松开时播放短促的提示音</translation>
    </message>
    <message>
        <source>Cue volume</source>
        <translation>提示音音量</translation>
    </message>
    <message>
        <source>Loudness of the sound cues, 0 to 100</source>
        <translation>提示音的响度，0 到 100</translation>
    </message>
    <message>
        <source>Maximum hold</source>
        <translation>最长按住时间</translation>
    </message>
    <message>
        <source>Stop listening by itself after this many seconds, in case a key or button sticks</source>
        <translation>超过此秒数自动停止收听，以防按键卡住</translation>
    </message>
    <message>
        <source>Requests in flight</source>
        <translation>同时进行的请求数</translation>
    </message>
    <message>
        <source>How many StartListening/StopListening may wait on a slow server at once</source>
        <translation>服务器较慢时，最多可同时等待多少个 StartListening/StopListening</translation>
    </message>
    <message>
        <source>The registered agent that new instances run</source>
        <translation>新实例运行的已注册智能体</translation>
    </message>
    <message>
        <source>RTC room</source>
        <translation>RTC 房间</translation>
    </message>
    <message>
        <source>RoomId of the RTC room the agent and the user meet in (letters, digits, _ - .)</source>
        <translation>智能体和用户所在 RTC 房间的 RoomId（字母、数字、_ - .）</translation>
    </message>
    <message>
        <source>Agent stream</source>
        <translation>智能体流</translation>
    </message>
    <message>
        <source>The stream the agent publishes; unique across all your instances</source>
        <translation>智能体推送的流；在你所有的实例中必须唯一</translation>
    </message>
    <message>
        <source>Agent user</source>
        <translation>智能体用户</translation>
    </message>
    <message>
        <source>The agent&apos;s UserId in the room; unique, and never a real user&apos;s UserId</source>
        <translation>智能体在房间中的 UserId；必须唯一，且不能与真实用户的 UserId 相同</translation>
    </message>
    <message>
        <source>User stream</source>
        <translation>用户流</translation>
    </message>
    <message>
        <source>The stream the real user publishes</source>
        <translation>真实用户推送的流</translation>
    </message>
    <message>
        <source>Maximum idle time</source>
        <translation>最长空闲时间</translation>
    </message>
    <message>
        <source>The server deletes the instance when the user is away from the room this long (10-1800 s)</source>
        <translation>用户离开房间达到此时长后，服务器会删除实例（10-1800 秒）</translation>
    </message>
    <message>
        <source>Voice interrupts</source>
        <translation>语音打断</translation>
    </message>
    <message>
        <source>Whether the user&apos;s voice interrupts the agent while it speaks</source>
        <translation>智能体说话时，用户的声音是否会打断它</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The language of the window; System follows the desktop&apos;s. A change applies when the app starts next.</source>
        <translation>窗口的语言；“系统”表示跟随桌面设置。更改在下次启动应用时生效。</translation>
    </message>
    <message>
        <source>The AppId from the ZEGOCLOUD console, a whole number</source>
        <translation>ZEGOCLOUD 控制台中的 AppId，一个整数</translation>
    </message>
    <message>
        <source>The 32-character ServerSecret from the ZEGOCLOUD console. It is kept only in the system keyring; this field never shows the saved one.</source>
        <translation>ZEGOCLOUD 控制台中 32 个字符的 ServerSecret。它只保存在系统密钥环中；此字段从不显示已保存的值。</translation>
    </message>
    <message>
        <source>Unified (nearest)</source>
        <translation>统一地址（就近接入）</translation>
    </message>
    <message>
        <source>Shanghai</source>
        <translation>上海</translation>
    </message>
    <message>
        <source>Hong Kong</source>
        <translation>香港</translation>
    </message>
    <message>
        <source>Frankfurt</source>
        <translation>法兰克福</translation>
    </message>
    <message>
        <source>California</source>
        <translation>加利福尼亚</translation>
    </message>
    <message>
        <source>Mumbai</source>
        <translation>孟买</translation>
    </message>
    <message>
        <source>Singapore</source>
        <translation>新加坡</translation>
    </message>
    <message>
        <source>This window only</source>
        <translation>仅本窗口</translation>
    </message>
    <message>
        <source>Every application (global)</source>
        <translation>所有应用（全局）</translation>
    </message>
    <message>
        <source>an X11 key grab: the key works in every X11 application and is taken from them</source>
        <translation>X11 按键抓取：该键在所有 X11 应用中都有效，并且不再传给这些应用</translation>
    </message>
    <message>
        <source>the desktop&apos;s GlobalShortcuts portal: the desktop asks you to confirm the shortcut</source>
        <translation>桌面的 GlobalShortcuts 门户：桌面会请你确认该快捷键</translation>
    </message>
    <message>
        <source>a keyboard hook (pynput); macOS asks once for Input Monitoring permission</source>
        <translation>键盘钩子（pynput）；macOS 会请求一次“输入监控”权限</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Push to talk</source>
        <translation>按键通话</translation>
    </message>
    <message>
        <source>New instances</source>
        <translation>新实例</translation>
    </message>
    <message>
        <source>saved in keyring — leave empty to keep</source>
        <translation>已保存在密钥环中 — 留空则保持不变</translation>
    </message>
    <message>
        <source>Credentials needed</source>
        <translation>需要凭据</translation>
    </message>
    <message>
        <source>No usable credentials for profile “{profile}”.</source>
        <translation>配置档案“{profile}”没有可用的凭据。</translation>
    </message>
    <message>
        <source>Save the AppId and ServerSecret in Settings, or try the console on the built-in demo simulator.</source>
        <translation>请在设置中保存 AppId 和 ServerSecret，或在内置演示模拟器上试用本控制台。</translation>
    </message>
    <message>
        <source>Open Settings…</source>
        <translation>打开设置…</translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation>试用演示</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Here no global hotkey can work: {reason}. The window key is used instead.</source>
        <translation>此处无法使用全局快捷键：{reason}。将改用窗口内按键。</translation>
    </message>
    <message>
        <source>Here the global hotkey uses {backend}.</source>
        <translation>此处的全局快捷键使用{backend}。</translation>
    </message>
    <message>
        <source>Settings and credentials</source>
        <translation>设置和凭据</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Check every field, save the settings (and the credentials, if typed) and reconnect (Enter)</source>
        <translation>检查所有字段，保存设置（以及已输入的凭据）并重新连接（Enter）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close without saving (Esc)</source>
        <translation>不保存并关闭（Esc）</translation>
    </message>
    <message>
        <source>Show what I type</source>
        <translation>显示我输入的内容</translation>
    </message>
    <message>
        <source>Shows only what you typed here; the saved ServerSecret is never read back</source>
        <translation>只显示你在此处输入的内容；已保存的 ServerSecret 永远不会被读回</translation>
    </message>
    <message>
        <source>Credentials are kept only in the system keyring.</source>
        <translation>凭据只保存在系统密钥环中。</translation>
    </message>
    <message>
        <source>Double-tap to latch listening on</source>
        <translation>双击即可锁定持续收听</translation>
    </message>
    <message>
        <source>Play sound cues</source>
        <translation>播放提示音</translation>
    </message>
    <message>
        <source>The window&apos;s language changes when the app starts next.</source>
        <translation>窗口语言将在下次启动应用时更改。</translation>
    </message>
    <message>
        <source>What the instance panel&apos;s Create button sends (CreateAgentInstance, walkie-talkie mode). All RTC fields are required to create an instance.</source>
        <translation>实例面板的“创建”按钮发送的内容（CreateAgentInstance，对讲模式）。创建实例需要填写所有 RTC 字段。</translation>
    </message>
    <message>
        <source>Yes: the user&apos;s voice stops the agent (0)</source>
        <translation>是：用户的声音会让智能体停下（0）</translation>
    </message>
    <message>
        <source>No: the agent finishes its answer (1)</source>
        <translation>否：智能体会说完它的回答（1）</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Make one signed call with the values above and say what the server answered</source>
        <translation>用上面的值发起一次签名调用，并显示服务器的应答</translation>
    </message>
    <message>
        <source>{key} works only as a global hotkey: the scope is now “{scope}”.</source>
        <translation>{key} 只能用作全局快捷键：作用范围已改为“{scope}”。</translation>
    </message>
    <message>
        <source>Click the field, then press the key, foot pedal or mouse side button to use.</source>
        <translation>点击此字段，然后按下要使用的按键、脚踏板或鼠标侧键。</translation>
    </message>
    <message>
        <source>Now: {status}</source>
        <translation>当前：{status}</translation>
    </message>
    <message>
        <source>Note: as a global hotkey, {key} talks whenever it is typed in any application (on X11 it then cannot be typed at all); a pedal key such as F13 is better.</source>
        <translation>注意：用作全局快捷键时，在任何应用中输入 {key} 都会触发通话（在 X11 上它将完全无法输入）；建议使用 F13 等踏板按键。</translation>
    </message>
    <message>
        <source>not saved yet — required to connect</source>
        <translation>尚未保存 — 连接时必需</translation>
    </message>
    <message>
        <source>leave empty to keep what the keyring has for this profile</source>
        <translation>留空则保留密钥环中此配置档案已有的内容</translation>
    </message>
    <message>
        <source>must be 1-32 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;</source>
        <translation>必须是 1-32 个字母、数字、“_”、“.”或“-”</translation>
    </message>
    <message>
        <source>required with a new ServerSecret</source>
        <translation>填写新的 ServerSecret 时必须同时填写</translation>
    </message>
    <message>
        <source>type it again to change the AppId (they are saved as a pair)</source>
        <translation>要更改 AppId，请再次输入 ServerSecret（两者成对保存）</translation>
    </message>
    <message>
        <source>required with a new AppId</source>
        <translation>填写新的 AppId 时必须同时填写</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>No answer to the test (is the console&apos;s worker running?); try again.</source>
        <translation>测试没有应答（控制台的工作线程是否在运行？）；请重试。</translation>
    </message>
    <message>
        <source> (RequestId {request_id})</source>
        <translation>（RequestId {request_id}）</translation>
    </message>
    <message>
        <source>Could not reach the endpoint: {reason}</source>
        <translation>无法连接接口地址：{reason}</translation>
    </message>
    <message>
        <source>The endpoint answered, but not as the AI Agent API: {why}</source>
        <translation>接口地址有应答，但不是 AI Agent API：{why}</translation>
    </message>
    <message>
        <source>The server refused the credentials: {why}</source>
        <translation>服务器拒绝了凭据：{why}</translation>
    </message>
    <message>
        <source>Signature accepted by the server; the instance exists{request_id}.</source>
        <translation>服务器接受了签名；实例存在{request_id}。</translation>
    </message>
    <message>
        <source>Signature accepted by the server; it answered {why}{request_id}.</source>
        <translation>服务器接受了签名；其应答为 {why}{request_id}。</translation>
    </message>
    <message>
        <source>The gateway refused the request: {why}</source>
        <translation>网关拒绝了请求：{why}</translation>
    </message>
    <message>
        <source>Hold to talk</source>
        <translation>按住说话</translation>
    </message>
    <message>
        <source>Press to stop</source>
        <translation>按下停止</translation>
    </message>
    <message>
        <source>Talk button: {state}</source>
        <translation>通话按钮：{state}</translation>
    </message>
    <message>
        <source>&amp;Mini talk window</source>
        <translation>迷你通话窗口(&amp;M)</translation>
    </message>
    <message>
        <source>A small always-on-top window with the talk state and a hold button</source>
        <translation>一个始终置顶的小窗口，显示通话状态并带有按住通话按钮</translation>
    </message>
    <message>
        <source>Not connected yet: nothing was sent.</source>
        <translation>尚未连接：未发送任何请求。</translation>
    </message>
    <message>
        <source>Released: the window lost focus while talking.</source>
        <translation>已松开：通话时窗口失去了焦点。</translation>
    </message>
    <message>
        <source>Released automatically: the maximum hold of {limit} s was reached.</source>
        <translation>已自动松开：达到了 {limit} 秒的最长按住时间。</translation>
    </message>
    <message>
        <source>{action} (Sequence {sequence}) failed: {why}</source>
        <translation>{action}（Sequence {sequence}）失败：{why}</translation>
    </message>
    <message>
        <source> Sending it again with a new Sequence.</source>
        <translation>将使用新的 Sequence 重新发送。</translation>
    </message>
    <message>
        <source>mouse, or {key} in any application</source>
        <translation>鼠标，或在任意应用中按住 {key}</translation>
    </message>
    <message>
        <source>mouse</source>
        <translation>鼠标</translation>
    </message>
    <message>
        <source>mouse or {key}</source>
        <translation>鼠标或 {key}</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Hold to talk
(not connected)</source>
        <translation>按住说话
（未连接）</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Nothing is sent until a session is open.</source>
        <translation>打开会话之前不会发送任何请求。</translation>
    </message>
    <message>
        <source>mouse or Space</source>
        <translation>鼠标或 Space</translation>
    </message>
    <message>
        <source>Hold to talk
({hint})</source>
        <translation>按住说话
（{hint}）</translation>
    </message>
    <message>
        <source>Press and hold to talk; release to stop.</source>
        <translation>按住即可通话；松开即停止。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Starting…
not listening yet</source>
        <translation>正在开始…
尚未收听</translation>
    </message>
    <message>
        <source>StartListening is sent; the agent is not listening yet.</source>
        <translation>已发送 StartListening；智能体尚未开始收听。</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>StopListening is sent; waiting for the server.</source>
        <translation>已发送 StopListening；正在等待服务器。</translation>
    </message>
    <message>
        <source>Error: {reason}</source>
        <translation>错误：{reason}</translation>
    </message>
    <message>
        <source>{error}
hold to try again</source>
        <translation>{error}
按住可重试</translation>
    </message>
    <message>
        <source>Press and hold to try again.</source>
        <translation>按住即可重试。</translation>
    </message>
    <message>
        <source>LOCKED</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>LOCKED
press to stop</source>
        <translation>已锁定
按下停止</translation>
    </message>
    <message>
        <source>The agent listens until the next press.</source>
        <translation>智能体会一直收听，直到下一次按下。</translation>
    </message>
    <message>
        <source>The agent is listening; release to stop.</source>
        <translation>智能体正在收听；松开即停止。</translation>
    </message>
    <message>
        <source>Listening — release to stop</source>
        <translation>收听中 — 松开即停止</translation>
    </message>
    <message>
        <source>Listening — tap again to lock</source>
        <translation>收听中 — 再按一下即锁定</translation>
    </message>
    <message>
        <source>Listening — stops in {ms} ms</source>
        <translation>收听中 — {ms} ms 后停止</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>无应答</translation>
    </message>
    <message>
        <source>server unreachable</source>
        <translation>服务器不可达</translation>
    </message>
    <message>
        <source>HTTP {status}</source>
        <translation>HTTP {status}</translation>
    </message>
    <message>
        <source>unreadable answer</source>
        <translation>应答无法解析</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <source>Code {code}</source>
        <translation>Code {code}</translation>
    </message>
    <message>
        <source>Start failed, {what}</source>
        <translation>开始失败，{what}</translation>
    </message>
    <message>
        <source>Stop failed, {what}</source>
        <translation>停止失败，{what}</translation>
    </message>
    <message>
        <source>Press and hold to talk (or hold the talk key shown beside). Release to stop.</source>
        <translation>按住即可通话（或按住旁边显示的通话键）。松开即停止。</translation>
    </message>
    <message>
        <source>What the server confirmed: Idle, Starting…, Listening, LOCKED (latched), Stopping… or Error</source>
        <translation>服务器确认的状态：空闲、正在开始…、收听中、已锁定（锁定收听）、正在停止… 或 错误</translation>
    </message>
    <message>
        <source>Which push-to-talk key works, and where (Settings → Push to talk)</source>
        <translation>哪个按键通话键有效，以及在哪里有效（设置 → 按键通话）</translation>
    </message>
    <message>
        <source>Last request: –</source>
        <translation>最近一次请求：–</translation>
    </message>
    <message>
        <source>Round trip of the latest Start/Stop, from send to answer</source>
        <translation>最近一次开始或停止收听请求从发送到应答的往返时间</translation>
    </message>
    <message>
        <source>What happened last</source>
        <translation>最近发生的事情</translation>
    </message>
    <message>
        <source>Problem: {message}</source>
        <translation>问题：{message}</translation>
    </message>
    <message>
        <source>Last request: {action} {latency} ms, Code {code}</source>
        <translation>最近一次请求：{action} {latency} ms，Code {code}</translation>
    </message>
    <message>
        <source>Show window</source>
        <translation>显示窗口</translation>
    </message>
    <message>
        <source>PTT Console: {state}</source>
        <translation>PTT 控制台：{state}</translation>
    </message>
    <message>
        <source>contact ZEGOCLOUD technical support and quote the RequestId</source>
        <translation>请联系 ZEGOCLOUD 技术支持并提供 RequestId</translation>
    </message>
    <message>
        <source>success</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>nothing to do</source>
        <translation>无需处理</translation>
    </message>
    <message>
        <source>wrong Host in the request header</source>
        <translation>请求头中的 Host 错误</translation>
    </message>
    <message>
        <source>check the endpoint (pick the region by name)</source>
        <translation>请检查接口地址（按名称选择区域）</translation>
    </message>
    <message>
        <source>AppId has a wrong format</source>
        <translation>AppId 格式错误</translation>
    </message>
    <message>
        <source>enter the AppId from the ZEGOCLOUD console (digits only)</source>
        <translation>请输入 ZEGOCLOUD 控制台中的 AppId（仅限数字）</translation>
    </message>
    <message>
        <source>Timestamp is empty</source>
        <translation>Timestamp 为空</translation>
    </message>
    <message>
        <source>a client bug: report it with the log</source>
        <translation>客户端缺陷：请连同日志一起报告</translation>
    </message>
    <message>
        <source>Timestamp has a wrong format</source>
        <translation>Timestamp 格式错误</translation>
    </message>
    <message>
        <source>signature expired: Timestamp outside the 10-minute window</source>
        <translation>签名已过期：Timestamp 超出 10 分钟的有效期</translation>
    </message>
    <message>
        <source>set this computer&apos;s clock right (automatic time), then try again</source>
        <translation>请校准这台计算机的时钟（开启自动对时），然后重试</translation>
    </message>
    <message>
        <source>signature wrong</source>
        <translation>签名错误</translation>
    </message>
    <message>
        <source>check the ServerSecret of this AppId in the ZEGOCLOUD console</source>
        <translation>请在 ZEGOCLOUD 控制台中核对此 AppId 的 ServerSecret</translation>
    </message>
    <message>
        <source>Action is empty</source>
        <translation>Action 为空</translation>
    </message>
    <message>
        <source>Action not supported</source>
        <translation>不支持该 Action</translation>
    </message>
    <message>
        <source>check the endpoint: it must be an AI Agent API host</source>
        <translation>请检查接口地址：它必须是 AI Agent API 的主机</translation>
    </message>
    <message>
        <source>SignatureNonce is empty</source>
        <translation>SignatureNonce 为空</translation>
    </message>
    <message>
        <source>Signature is empty</source>
        <translation>Signature 为空</translation>
    </message>
    <message>
        <source>no ServerSecret found for this AppId</source>
        <translation>找不到此 AppId 的 ServerSecret</translation>
    </message>
    <message>
        <source>check the AppId in the ZEGOCLOUD console</source>
        <translation>请在 ZEGOCLOUD 控制台中核对 AppId</translation>
    </message>
    <message>
        <source>App configuration not found</source>
        <translation>找不到 App 配置</translation>
    </message>
    <message>
        <source>check the AppId, or contact ZEGOCLOUD technical support and quote the RequestId</source>
        <translation>请核对 AppId，或联系 ZEGOCLOUD 技术支持并提供 RequestId</translation>
    </message>
    <message>
        <source>request body could not be read</source>
        <translation>无法读取请求体</translation>
    </message>
    <message>
        <source>try again; if it persists, contact ZEGOCLOUD technical support and quote the RequestId</source>
        <translation>请重试；如果问题持续，请联系 ZEGOCLOUD 技术支持并提供 RequestId</translation>
    </message>
    <message>
        <source>SignatureVersion is empty</source>
        <translation>SignatureVersion 为空</translation>
    </message>
    <message>
        <source>SignatureVersion not supported (only 2.0)</source>
        <translation>不支持该 SignatureVersion（仅支持 2.0）</translation>
    </message>
    <message>
        <source>a client bug: report it</source>
        <translation>客户端缺陷：请报告</translation>
    </message>
    <message>
        <source>gateway internal error</source>
        <translation>网关内部错误</translation>
    </message>
    <message>
        <source>the App has not enabled this service</source>
        <translation>该 App 未开通此服务</translation>
    </message>
    <message>
        <source>enable the AI Agent service: contact ZEGOCLOUD technical support and quote the RequestId</source>
        <translation>请开通 AI Agent 服务：联系 ZEGOCLOUD 技术支持并提供 RequestId</translation>
    </message>
    <message>
        <source>AI Agent system error</source>
        <translation>AI Agent 系统错误</translation>
    </message>
    <message>
        <source>invalid AppId</source>
        <translation>AppId 无效</translation>
    </message>
    <message>
        <source>invalid parameter</source>
        <translation>参数无效</translation>
    </message>
    <message>
        <source>the Message names the parameter: correct it in the settings</source>
        <translation>Message 中指出了是哪个参数：请在设置中更正</translation>
    </message>
    <message>
        <source>request body is not valid JSON</source>
        <translation>请求体不是有效的 JSON</translation>
    </message>
    <message>
        <source>gateway authentication failed</source>
        <translation>网关鉴权失败</translation>
    </message>
    <message>
        <source>check AppId and ServerSecret, or contact ZEGOCLOUD technical support and quote the RequestId</source>
        <translation>请核对 AppId 和 ServerSecret，或联系 ZEGOCLOUD 技术支持并提供 RequestId</translation>
    </message>
    <message>
        <source>the App has not enabled the AI Agent service</source>
        <translation>该 App 未开通 AI Agent 服务</translation>
    </message>
    <message>
        <source>contact ZEGOCLOUD technical support and quote the RequestId to enable it</source>
        <translation>请联系 ZEGOCLOUD 技术支持并提供 RequestId 以开通服务</translation>
    </message>
    <message>
        <source>internal service call failed</source>
        <translation>内部服务调用失败</translation>
    </message>
    <message>
        <source>insufficient service resources</source>
        <translation>服务资源不足</translation>
    </message>
    <message>
        <source>try again later; if it persists, contact ZEGOCLOUD technical support and quote the RequestId</source>
        <translation>请稍后重试；如果问题持续，请联系 ZEGOCLOUD 技术支持并提供 RequestId</translation>
    </message>
    <message>
        <source>concurrent agent instance limit of the App reached</source>
        <translation>已达到该 App 的智能体实例并发上限</translation>
    </message>
    <message>
        <source>delete agent instances that are no longer used, or ask ZEGOCLOUD support for a higher limit</source>
        <translation>请删除不再使用的智能体实例，或请 ZEGOCLOUD 技术支持提高上限</translation>
    </message>
    <message>
        <source>invalid digital human parameter</source>
        <translation>数字人参数无效</translation>
    </message>
    <message>
        <source>check the digital human settings</source>
        <translation>请检查数字人设置</translation>
    </message>
    <message>
        <source>agent instance not found (deleted, or expired after MaxIdleTime without the user in the room)</source>
        <translation>找不到智能体实例（已被删除，或用户不在房间的时间超过 MaxIdleTime 后已过期）</translation>
    </message>
    <message>
        <source>create a new agent instance and talk to that one</source>
        <translation>请新建一个智能体实例并与它通话</translation>
    </message>
    <message>
        <source>agent instance creation failed</source>
        <translation>创建智能体实例失败</translation>
    </message>
    <message>
        <source>agent instance modification failed</source>
        <translation>修改智能体实例失败</translation>
    </message>
    <message>
        <source>agent instance deletion failed</source>
        <translation>删除智能体实例失败</translation>
    </message>
    <message>
        <source>active LLM call failed</source>
        <translation>主动调用 LLM 失败</translation>
    </message>
    <message>
        <source>active TTS call failed</source>
        <translation>主动调用 TTS 失败</translation>
    </message>
    <message>
        <source>agent already exists</source>
        <translation>智能体已存在</translation>
    </message>
    <message>
        <source>do not register the same AgentId twice</source>
        <translation>请勿重复注册同一个 AgentId</translation>
    </message>
    <message>
        <source>agent not found (AgentId)</source>
        <translation>找不到智能体（AgentId）</translation>
    </message>
    <message>
        <source>check the AgentId: it must be a registered agent</source>
        <translation>请检查 AgentId：它必须是已注册的智能体</translation>
    </message>
    <message>
        <source>failed to load the message history</source>
        <translation>加载历史消息失败</translation>
    </message>
    <message>
        <source>agent instance update failed</source>
        <translation>更新智能体实例失败</translation>
    </message>
    <message>
        <source>the agent is listening: LLM or TTS cannot be triggered now</source>
        <translation>智能体正在收听：现在无法触发 LLM 或 TTS</translation>
    </message>
    <message>
        <source>release the talk button (StopListening) first, then try again</source>
        <translation>请先松开通话按钮（StopListening），然后重试</translation>
    </message>
    <message>
        <source>failed to get the agent instance context</source>
        <translation>获取智能体实例上下文失败</translation>
    </message>
    <message>
        <source>failed to reset the agent instance context</source>
        <translation>重置智能体实例上下文失败</translation>
    </message>
    <message>
        <source>failed to interrupt the agent instance</source>
        <translation>打断智能体实例失败</translation>
    </message>
    <message>
        <source>digital human service resources insufficient</source>
        <translation>数字人服务资源不足</translation>
    </message>
    <message>
        <source>digital human ConfigId not supported</source>
        <translation>不支持该数字人 ConfigId</translation>
    </message>
    <message>
        <source>digital human DigitalHumanId is incorrect</source>
        <translation>数字人 DigitalHumanId 不正确</translation>
    </message>
    <message>
        <source>check the DigitalHumanId</source>
        <translation>请检查 DigitalHumanId</translation>
    </message>
    <message>
        <source>digital human agent instance creation failed</source>
        <translation>创建数字人智能体实例失败</translation>
    </message>
    <message>
        <source>digital human interface frequency limit</source>
        <translation>数字人接口调用频率受限</translation>
    </message>
    <message>
        <source>digital human stream ID duplicate</source>
        <translation>数字人流 ID 重复</translation>
    </message>
    <message>
        <source>use a stream ID not yet in use</source>
        <translation>请使用尚未占用的流 ID</translation>
    </message>
    <message>
        <source>digital human concurrency limit reached</source>
        <translation>已达到数字人并发上限</translation>
    </message>
    <message>
        <source>digital human service system error</source>
        <translation>数字人服务系统错误</translation>
    </message>
    <message>
        <source>LLM test account expired</source>
        <translation>LLM 测试账号已过期</translation>
    </message>
    <message>
        <source>configure your own LLM, or contact ZEGOCLOUD technical support and quote the RequestId</source>
        <translation>请配置你自己的 LLM，或联系 ZEGOCLOUD 技术支持并提供 RequestId</translation>
    </message>
    <message>
        <source>TTS test account expired</source>
        <translation>TTS 测试账号已过期</translation>
    </message>
    <message>
        <source>configure your own TTS, or contact ZEGOCLOUD technical support and quote the RequestId</source>
        <translation>请配置你自己的 TTS，或联系 ZEGOCLOUD 技术支持并提供 RequestId</translation>
    </message>
    <message>
        <source>App test account expired</source>
        <translation>App 测试账号已过期</translation>
    </message>
    <message>
        <source>the agent instance is being gracefully shut down</source>
        <translation>智能体实例正在优雅关闭</translation>
    </message>
    <message>
        <source>wait for it to end, then create a new agent instance</source>
        <translation>请等待它结束，然后新建一个智能体实例</translation>
    </message>
    <message>
        <source>the agent instance is not in walkie-talkie mode: Start/StopListening not allowed</source>
        <translation>智能体实例不是对讲模式：不允许 Start/StopListening</translation>
    </message>
    <message>
        <source>create the agent instance with AdvancedConfig.CommunicationMode 2 (walkie-talkie)</source>
        <translation>请用 AdvancedConfig.CommunicationMode 2（对讲模式）创建智能体实例</translation>
    </message>
    <message>
        <source>Sequence outdated: the request was ignored</source>
        <translation>Sequence 已过时：请求已被忽略</translation>
    </message>
    <message>
        <source>nothing to do: a newer press or release already superseded this request</source>
        <translation>无需处理：更新的按下或松开已取代此请求</translation>
    </message>
    <message>
        <source>start listening failed</source>
        <translation>开始收听失败</translation>
    </message>
    <message>
        <source>press again; if it persists, contact ZEGOCLOUD technical support and quote the RequestId</source>
        <translation>请再按一次；如果问题持续，请联系 ZEGOCLOUD 技术支持并提供 RequestId</translation>
    </message>
    <message>
        <source>stop listening failed</source>
        <translation>停止收听失败</translation>
    </message>
    <message>
        <source>release again; if it persists, contact ZEGOCLOUD technical support and quote the RequestId</source>
        <translation>请再松开一次；如果问题持续，请联系 ZEGOCLOUD 技术支持并提供 RequestId</translation>
    </message>
    <message>
        <source>the user has not started publishing audio in the room: cannot start listening</source>
        <translation>用户尚未在房间中推送音频：无法开始收听</translation>
    </message>
    <message>
        <source>start the user&apos;s voice client (join the RTC room and publish the microphone), then press again</source>
        <translation>请启动该用户的语音客户端（加入 RTC 房间并推送麦克风），然后再次按下</translation>
    </message>
    <message>
        <source>LLM.ApiKey is &quot;zego_test&quot; but LLM.Url is not one of the test URLs</source>
        <translation>LLM.ApiKey 为 &quot;zego_test&quot;，但 LLM.Url 不是测试 URL 之一</translation>
    </message>
    <message>
        <source>use one of the documented test URLs with zego_test, or your own ApiKey</source>
        <translation>请将 zego_test 与文档中列出的测试 URL 一起使用，或使用你自己的 ApiKey</translation>
    </message>
    <message>
        <source>digital human DigitalHumanId does not belong to this App</source>
        <translation>数字人 DigitalHumanId 不属于此 App</translation>
    </message>
    <message>
        <source>check it</source>
        <translation>请检查</translation>
    </message>
    <message>
        <source>API operations on a live digital human instance are prohibited</source>
        <translation>禁止通过 API 操作直播数字人实例</translation>
    </message>
    <message>
        <source>live digital human instances cannot be controlled by API</source>
        <translation>直播数字人实例不能通过 API 控制</translation>
    </message>
    <message>
        <source>Code {code}: {message}</source>
        <translation>Code {code}：{message}</translation>
    </message>
    <message>
        <source>{said} ({meaning}; {hint})</source>
        <translation>{said}（{meaning}；{hint}）</translation>
    </message>
    <message>
        <source>the instance&apos;s user</source>
        <translation>该实例的用户</translation>
    </message>
    <message>
        <source>the instance&apos;s room</source>
        <translation>该实例的房间</translation>
    </message>
    <message>
        <source>User {user} is not publishing audio in room {room}: start their voice client, then press again.</source>
        <translation>用户 {user} 没有在房间 {room} 中推送音频：请启动其语音客户端，然后再次按下。</translation>
    </message>
    <message>
        <source>Instance {instance} is not in walkie-talkie mode, so it cannot be told when to listen: create a walkie-talkie instance.</source>
        <translation>实例 {instance} 不是对讲模式，因此无法指示它何时收听：请创建一个对讲模式的实例。</translation>
    </message>
    <message>
        <source>Instance {instance} is gone: it was deleted, or its user was away from the room for longer than its maximum idle time. Create a new instance.</source>
        <translation>实例 {instance} 已不存在：它已被删除，或其用户离开房间的时间超过了最长空闲时间。请新建一个实例。</translation>
    </message>
    <message>
        <source>The first attempt reached the server, but its answer was lost, so whether it worked is not known.</source>
        <translation>第一次尝试已到达服务器，但应答丢失，因此无法确定是否成功。</translation>
    </message>
    <message>
        <source>Ignored (outdated): the agent had already received a newer press or release.</source>
        <translation>已忽略（过时）：智能体已收到更新的按下或松开。</translation>
    </message>
    <message>
        <source>Open File → Settings… to add them.</source>
        <translation>请打开 文件 → 设置… 添加它们。</translation>
    </message>
    <message>
        <source>Correct or remove that setting, so that the desktop&apos;s Secret Service keyring is used; the ServerSecret is never stored in a plain file.</source>
        <translation>请更正或删除该设置，以便使用桌面的 Secret Service 密钥环；ServerSecret 永远不会保存在普通文件中。</translation>
    </message>
    <message>
        <source>Unlock your login keyring (for example by logging in to the desktop session again), then open the profile again.</source>
        <translation>请解锁你的登录密钥环（例如重新登录桌面会话），然后再次打开配置档案。</translation>
    </message>
    <message>
        <source>Start a Secret Service keyring (gnome-keyring or KWallet) in your desktop session; the ServerSecret is never stored in a plain file.</source>
        <translation>请在桌面会话中启动 Secret Service 密钥环（gnome-keyring 或 KWallet）；ServerSecret 永远不会保存在普通文件中。</translation>
    </message>
    <message>
        <source>Invalid settings: {problems}. Open File → Settings… to correct them.</source>
        <translation>设置无效：{problems}。请打开 文件 → 设置… 进行更正。</translation>
    </message>
    <message>
        <source>embedded demo simulator</source>
        <translation>内置演示模拟器</translation>
    </message>
    <message>
        <source>not sent: {count} other calls are still waiting for the server; try again once they are answered</source>
        <translation>未发送：还有 {count} 个其他调用在等待服务器；请在它们得到应答后重试</translation>
    </message>
    <message>
        <source>not sent: more than {count} {action} requests in one second would pass the API&apos;s rate limit; try again in a moment</source>
        <translation>未发送：一秒内超过 {count} 个 {action} 请求会超出 API 的频率限制；请稍后重试</translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>设置已保存。</translation>
    </message>
    <message>
        <source>Settings saved; AppId and ServerSecret saved in the {keyring} keyring.</source>
        <translation>设置已保存；AppId 和 ServerSecret 已保存到 {keyring} 密钥环。</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>free some space</source>
        <translation>请释放一些空间</translation>
    </message>
    <message>
        <source>the file or its folder cannot be written</source>
        <translation>无法写入该文件或其所在文件夹</translation>
    </message>
    <message>
        <source>check that they exist and are writable</source>
        <translation>请检查它们是否存在且可写</translation>
    </message>
    <message>
        <source>the disk reported an input/output error</source>
        <translation>磁盘报告了输入/输出错误</translation>
    </message>
    <message>
        <source>check the disk</source>
        <translation>请检查磁盘</translation>
    </message>
    <message>
        <source>the file is damaged</source>
        <translation>文件已损坏</translation>
    </message>
    <message>
        <source>start ptt-app again to set it aside</source>
        <translation>请重新启动 ptt-app，将其移到一旁</translation>
    </message>
    <message>
        <source>another program kept it locked</source>
        <translation>另一个程序锁定了它</translation>
    </message>
    <message>
        <source>close other ptt-app windows and commands</source>
        <translation>请关闭其他 ptt-app 窗口和命令</translation>
    </message>
    <message>
        <source>cannot open the request log</source>
        <extracomment>Operator-facing sentences about this open (a broken file set aside); shown once.</extracomment>
        <translation>无法打开请求日志</translation>
    </message>
    <message>
        <source>nothing was sent</source>
        <translation>未发送任何请求</translation>
    </message>
    <message>
        <source>The request log {path} could not be read ({reason})</source>
        <translation>无法读取请求日志 {path}（{reason}）</translation>
    </message>
    <message>
        <source>{what}; another ptt-app process set it aside and started a new log.</source>
        <translation>{what}；另一个 ptt-app 进程已将其移到一旁并新建了日志。</translation>
    </message>
    <message>
        <source>{what}; it is kept as {kept} and a new, empty log was started.</source>
        <translation>{what}；已将其保留为 {kept}，并新建了一个空日志。</translation>
    </message>
    <message>
        <source>{what}; it could not be moved aside ({reason}) and is left in place.</source>
        <translation>{what}；无法将其移到一旁（{reason}），它仍留在原处。</translation>
    </message>
    <message>
        <source>the request was sent, and the log will show it with no answer</source>
        <translation>请求已发送，日志中会显示为无应答</translation>
    </message>
    <message>
        <source>cannot write the answer to the request log</source>
        <translation>无法将应答写入请求日志</translation>
    </message>
    <message>
        <source>the replaced request is not logged</source>
        <translation>被取代的请求未记入日志</translation>
    </message>
    <message>
        <source>cannot write the request log</source>
        <translation>无法写入请求日志</translation>
    </message>
    <message>
        <source>{doing} {path}: {reason}; {remedy}; {consequence}</source>
        <translation>{doing} {path}：{reason}；{remedy}；{consequence}</translation>
    </message>
    <message>
        <source>space returns</source>
        <translation>空间恢复</translation>
    </message>
    <message>
        <source>it can be written again</source>
        <translation>可以再次写入</translation>
    </message>
    <message>
        <source>The request log {path} cannot be written ({reason}); new log rows are kept in memory until {until}.</source>
        <translation>无法写入请求日志 {path}（{reason}）；新的日志行会保留在内存中，直到{until}。</translation>
    </message>
    <message>
        <source>1 log row is</source>
        <translation>1 行日志</translation>
    </message>
    <message>
        <source>{count} log rows are</source>
        <translation>{count} 行日志</translation>
    </message>
    <message>
        <source>The disk is full: {kept} kept in memory and will be written to {path} when space returns.</source>
        <translation>磁盘已满：{kept}保留在内存中，空间恢复后会写入 {path}。</translation>
    </message>
    <message>
        <source>The request log {path} cannot be written ({reason}): {kept} kept in memory and will be written when it can be written again.</source>
        <translation>无法写入请求日志 {path}（{reason}）：{kept}保留在内存中，可以写入时会再写入。</translation>
    </message>
    <message>
        <source>cannot export the request log {path} while it cannot be opened ({reason}); try again later</source>
        <translation>请求日志 {path} 无法打开（{reason}），因此无法导出；请稍后重试</translation>
    </message>
    <message>
        <source>the request log {path} was written by a newer ptt-app (schema {version}); use that release, or move the file away to start a new log</source>
        <translation>请求日志 {path} 由更新版本的 ptt-app 写入（schema {version}）；请使用该版本，或将文件移走以新建日志</translation>
    </message>
    <message>
        <source>The request log {path} cannot be read just now ({reason}).</source>
        <extracomment>Why the last read came back empty although the file exists; None when it worked.</extracomment>
        <translation>暂时无法读取请求日志 {path}（{reason}）。</translation>
    </message>
    <message>
        <source>letters, digits, &apos;-&apos; and &apos;_&apos;</source>
        <translation>字母、数字、“-”和“_”</translation>
    </message>
    <message>
        <source>must be one of {choices}, got {value}</source>
        <translation>必须是 {choices} 之一，实际为 {value}</translation>
    </message>
    <message>
        <source>profile name {name} must be 1-32 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;</source>
        <translation>配置档案名称 {name} 必须是 1-32 个字母、数字、“_”、“.”或“-”</translation>
    </message>
    <message>
        <source>must be text, got {value}</source>
        <translation>必须是文本，实际为 {value}</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>不能为空</translation>
    </message>
    <message>
        <source>must be at most {limit} characters</source>
        <translation>最多 {limit} 个字符</translation>
    </message>
    <message>
        <source>must not contain spaces or control characters</source>
        <translation>不能包含空格或控制字符</translation>
    </message>
    <message>
        <source>is not a valid URL: {value}</source>
        <translation>不是有效的 URL：{value}</translation>
    </message>
    <message>
        <source>must start with https:// (http:// is allowed only for loopback hosts)</source>
        <translation>必须以 https:// 开头（只有本机地址才允许 http://）</translation>
    </message>
    <message>
        <source>must be a URL with a host, like {example}</source>
        <translation>必须是带主机名的 URL，例如 {example}</translation>
    </message>
    <message>
        <source>must not contain a user name or password (credentials belong in the keyring)</source>
        <translation>不能包含用户名或密码（凭据应保存在密钥环中）</translation>
    </message>
    <message>
        <source>must not have a query or fragment: the app adds the parameters</source>
        <translation>不能带有查询参数或片段：参数由应用添加</translation>
    </message>
    <message>
        <source>must be at most {limit} characters, got {length}</source>
        <translation>最多 {limit} 个字符，实际为 {length} 个</translation>
    </message>
    <message>
        <source>must not contain spaces</source>
        <translation>不能包含空格</translation>
    </message>
    <message>
        <source>must not contain control characters</source>
        <translation>不能包含控制字符</translation>
    </message>
    <message>
        <source>must be printable ASCII</source>
        <translation>必须是可打印的 ASCII 字符</translation>
    </message>
    <message>
        <source>must be a whole number, got {value}</source>
        <translation>必须是整数，实际为 {value}</translation>
    </message>
    <message>
        <source>must be a number, got {value}</source>
        <translation>必须是数字，实际为 {value}</translation>
    </message>
    <message>
        <source>must be from {low} to {high}, got {value}</source>
        <translation>必须在 {low} 到 {high} 之间，实际为 {value}</translation>
    </message>
    <message>
        <source>must name one key, got {value}</source>
        <translation>必须指定一个按键，实际为 {value}</translation>
    </message>
    <message>
        <source>a mouse button works only as a global hotkey: set hotkey_scope to global</source>
        <translation>鼠标按键只能用作全局快捷键：请将 hotkey_scope 设为 global</translation>
    </message>
    <message>
        <source>may contain only {allowed}</source>
        <translation>只能包含{allowed}</translation>
    </message>
    <message>
        <source>letters, digits, &apos;_&apos;, &apos;-&apos; and &apos;.&apos;</source>
        <translation>字母、数字、“_”、“-”和“.”</translation>
    </message>
    <message>
        <source>must differ from user_id (the agent and the real user would keep kicking each other out of the room)</source>
        <translation>必须与 user_id 不同（否则智能体和真实用户会互相把对方踢出房间）</translation>
    </message>
    <message>
        <source>must be true or false, got {value}</source>
        <translation>必须是 true 或 false，实际为 {value}</translation>
    </message>
    <message>
        <source>settings: cannot read {path}: {reason}; using defaults</source>
        <translation>设置：无法读取 {path}：{reason}；使用默认值</translation>
    </message>
    <message>
        <source>settings: {path} is broken ({problems}); using defaults</source>
        <translation>设置：{path} 已损坏（{problems}）；使用默认值</translation>
    </message>
    <message>
        <source>{what}; it could not be moved aside ({reason}) and is left in place</source>
        <translation>{what}；无法将其移到一旁（{reason}），它仍留在原处</translation>
    </message>
    <message>
        <source>{what}; another ptt-app process has moved it aside</source>
        <translation>{what}；另一个 ptt-app 进程已将其移到一旁</translation>
    </message>
    <message>
        <source>{what}; the broken file is kept as {kept}</source>
        <translation>{what}；损坏的文件已保留为 {kept}</translation>
    </message>
    <message>
        <source>The last session ended unexpectedly (it was killed or the machine stopped, so there is no report)</source>
        <translation>上次会话意外结束（进程被终止或计算机已停止，因此没有报告）</translation>
    </message>
    <message>
        <source> (1 earlier report in {folder})</source>
        <translation>（{folder} 中还有 1 份更早的报告）</translation>
    </message>
    <message>
        <source> ({count} earlier reports in {folder})</source>
        <translation>（{folder} 中还有 {count} 份更早的报告）</translation>
    </message>
    <message>
        <source>The last session had an internal error; report: {report}{more}</source>
        <translation>上次会话发生了内部错误；报告：{report}{more}</translation>
    </message>
    <message>
        <source>The last session ended unexpectedly; report: {report}{more}</source>
        <translation>上次会话意外结束；报告：{report}{more}</translation>
    </message>
    <message>
        <source>Global push-to-talk: {key} ({backend})</source>
        <translation>全局按键通话：{key}（{backend}）</translation>
    </message>
    <message>
        <source>Global push-to-talk: starting ({backend}): {detail}</source>
        <translation>全局按键通话：正在启动（{backend}）：{detail}</translation>
    </message>
    <message>
        <source>Global push-to-talk: starting ({backend})</source>
        <translation>全局按键通话：正在启动（{backend}）</translation>
    </message>
    <message>
        <source>Global push-to-talk unavailable ({backend}): {reason}. Using the window key.</source>
        <translation>全局按键通话不可用（{backend}）：{reason}。改用窗口内按键。</translation>
    </message>
    <message>
        <source>Global push-to-talk off</source>
        <translation>全局按键通话已关闭</translation>
    </message>
    <message>
        <source>A-Z, 0-9, F1-F24, Space, Return, Enter, Tab, Backspace, Insert, Home, End, PgUp, PgDown, Pause, ScrollLock, CapsLock, Menu, or a mouse side button {first}-{last}</source>
        <translation>A-Z、0-9、F1-F24、Space、Return、Enter、Tab、Backspace、Insert、Home、End、PgUp、PgDown、Pause、ScrollLock、CapsLock、Menu，或鼠标侧键 {first}-{last}</translation>
    </message>
    <message>
        <source>must name a key, like F13 or Space; got {value}</source>
        <translation>必须指定一个按键，例如 F13 或 Space；实际为 {value}</translation>
    </message>
    <message>
        <source>names a modifier twice: {value}</source>
        <translation>修饰键重复出现：{value}</translation>
    </message>
    <message>
        <source>{value} is not a modifier (Ctrl, Alt, Shift or Super)</source>
        <translation>{value} 不是修饰键（Ctrl、Alt、Shift 或 Super）</translation>
    </message>
    <message>
        <source>a modifier alone ({modifier}) cannot be the key; bind a key, optionally with it</source>
        <translation>单独的修饰键（{modifier}）不能作为通话键；请绑定一个按键，可以与修饰键组合</translation>
    </message>
    <message>
        <source>{value} is not a key the app can bind; use one of {keys}</source>
        <translation>{value} 不是应用可以绑定的按键；请使用以下之一：{keys}</translation>
    </message>
    <message>
        <source>only mouse side buttons can be bound ({first}-{last}); got {value}</source>
        <translation>只能绑定鼠标侧键（{first}-{last}）；实际为 {value}</translation>
    </message>
    <message>
        <source>the hold key works while this window has focus (Settings: hotkey scope)</source>
        <translation>窗口有焦点时通话键有效（设置：快捷键作用范围）</translation>
    </message>
    <message>
        <source>no graphical session was found (neither WAYLAND_DISPLAY nor DISPLAY is set)</source>
        <translation>未找到图形会话（WAYLAND_DISPLAY 和 DISPLAY 都未设置）</translation>
    </message>
    <message>
        <source>the {package} package is missing ({error}); reinstall the app</source>
        <translation>缺少 {package} 软件包（{error}）；请重新安装应用</translation>
    </message>
    <message>
        <source>this desktop&apos;s portal has no GlobalShortcuts interface (GNOME has it from version 48; KDE Plasma 5.27+ and Hyprland have it): update the desktop or log in to an X11 session</source>
        <translation>此桌面的门户没有 GlobalShortcuts 接口（GNOME 从 48 版开始提供；KDE Plasma 5.27+ 和 Hyprland 都有）：请更新桌面或登录 X11 会话</translation>
    </message>
    <message>
        <source>the GlobalShortcuts portal binds keyboard keys only; bind a key such as F13</source>
        <translation>GlobalShortcuts 门户只能绑定键盘按键；请绑定 F13 之类的按键</translation>
    </message>
    <message>
        <source>asking the desktop for {key}</source>
        <translation>正在向桌面申请 {key}</translation>
    </message>
    <message>
        <source>no D-Bus session bus ({error})</source>
        <translation>没有 D-Bus 会话总线（{error}）</translation>
    </message>
    <message>
        <source>the desktop closed the shortcut session</source>
        <translation>桌面关闭了快捷键会话</translation>
    </message>
    <message>
        <source>lost the D-Bus connection to the portal ({error})</source>
        <translation>与门户的 D-Bus 连接已断开（{error}）</translation>
    </message>
    <message>
        <source>the portal created no shortcut session</source>
        <translation>门户没有创建快捷键会话</translation>
    </message>
    <message>
        <source>confirm {key} in the desktop&apos;s shortcut dialog, if it shows one</source>
        <translation>如果桌面弹出快捷键对话框，请在其中确认 {key}</translation>
    </message>
    <message>
        <source>the desktop did not bind the push-to-talk shortcut (declined, or taken); bind it in the desktop&apos;s keyboard settings</source>
        <translation>桌面没有绑定按键通话快捷键（被拒绝或已被占用）；请在桌面的键盘设置中绑定</translation>
    </message>
    <message>
        <source>xdg-desktop-portal is not running on this session bus; install and start xdg-desktop-portal and your desktop&apos;s portal backend</source>
        <translation>此会话总线上没有运行 xdg-desktop-portal；请安装并启动 xdg-desktop-portal 及桌面对应的门户后端</translation>
    </message>
    <message>
        <source>the portal refused: {error}</source>
        <translation>门户拒绝了：{error}</translation>
    </message>
    <message>
        <source>{method} was cancelled in the desktop&apos;s dialog</source>
        <translation>{method} 在桌面的对话框中被取消</translation>
    </message>
    <message>
        <source>the portal refused {method} (response {response})</source>
        <translation>门户拒绝了 {method}（响应 {response}）</translation>
    </message>
    <message>
        <source>macOS has not allowed this app to watch the keyboard: System Settings → Privacy &amp; Security → Accessibility and Input Monitoring, allow PTT Console, then restart it</source>
        <translation>macOS 不允许本应用监视键盘：请在 系统设置 → 隐私与安全性 → 辅助功能 和 输入监控 中允许 PTT 控制台，然后重新启动它</translation>
    </message>
    <message>
        <source>the Windows/macOS backend binds a single key or side button without modifiers; use e.g. F13</source>
        <translation>Windows/macOS 后端只能绑定不带修饰键的单个按键或侧键；例如使用 F13</translation>
    </message>
    <message>
        <source>only the two standard mouse side buttons (Mouse8, Mouse9) can be bound, and only on Windows</source>
        <translation>只能绑定两个标准鼠标侧键（Mouse8、Mouse9），而且仅限 Windows</translation>
    </message>
    <message>
        <source>macOS has no {key} key that pynput can see; use F13-F20</source>
        <translation>macOS 上 pynput 看不到 {key} 键；请用 F13-F20</translation>
    </message>
    <message>
        <source>pynput cannot be loaded ({error})</source>
        <translation>无法加载 pynput（{error}）</translation>
    </message>
    <message>
        <source>pynput has no key {key} here</source>
        <translation>此处 pynput 没有 {key} 键</translation>
    </message>
    <message>
        <source>{error}; is this an X11 session?</source>
        <translation>{error}；这是 X11 会话吗？</translation>
    </message>
    <message>
        <source>lost the X display ({error})</source>
        <translation>与 X 显示的连接已断开（{error}）</translation>
    </message>
    <message>
        <source>no key on this keyboard layout produces {key} (check with xev, or map it with xmodmap); choose another key</source>
        <translation>此键盘布局中没有按键能产生 {key}（可用 xev 检查，或用 xmodmap 映射）；请选择其他按键</translation>
    </message>
    <message>
        <source>this X server has no modifier for {modifiers}</source>
        <translation>此 X 服务器没有 {modifiers} 修饰键</translation>
    </message>
    <message>
        <source>another program already uses {key} as a global shortcut on this X display; free it there or choose another key</source>
        <translation>另一个程序已将 {key} 用作此 X 显示上的全局快捷键；请在那里释放它，或选择其他按键</translation>
    </message>
    <message>
        <source>the X server refused to grab {key} ({error})</source>
        <translation>X 服务器拒绝抓取 {key}（{error}）</translation>
    </message>
    <message>
        <source>Audio cues: {output}</source>
        <translation>提示音：{output}</translation>
    </message>
    <message>
        <source>not available on macOS yet</source>
        <translation>macOS 上暂不可用</translation>
    </message>
    <message>
        <source>libpulse-simple is not installed ({error})</source>
        <translation>未安装 libpulse-simple（{error}）</translation>
    </message>
    <message>
        <source>the sound server stopped: {error}</source>
        <translation>声音服务器已停止：{error}</translation>
    </message>
    <message>
        <source>no sound server: {error}</source>
        <translation>没有声音服务器：{error}</translation>
    </message>
</context>
</TS>
