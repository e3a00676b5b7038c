<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ClassifierPanel</name>
    <message>
        <source>试用分类器</source>
        <translation>Try the classifier</translation>
    </message>
    <message>
        <source>试用分类器：输入事实</source>
        <translation>Try the classifier: enter the facts</translation>
    </message>
    <message>
        <source>当事方：</source>
        <translation>Party:</translation>
    </message>
    <message>
        <source>条款(&amp;C)：</source>
        <translation>&amp;Clause:</translation>
    </message>
    <message>
        <source>事发日期(&amp;D)：</source>
        <translation>&amp;Date of incident:</translation>
    </message>
    <message>
        <source>yyyy-MM-dd</source>
        <translation>yyyy-MM-dd</translation>
    </message>
    <message>
        <source>是否经提醒：</source>
        <translation>Reminded:</translation>
    </message>
    <message>
        <source>工作人员是否已提醒其改正</source>
        <translation>Whether staff reminded the person to stop</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>是否拒不改正：</source>
        <translation>Refused to comply:</translation>
    </message>
    <message>
        <source>经提醒后是否拒不改正</source>
        <translation>Whether the person refused to comply after the reminder</translation>
    </message>
    <message>
        <source>情节：</source>
        <translation>Severity:</translation>
    </message>
    <message>
        <source>未认定</source>
        <translation>Not determined</translation>
    </message>
    <message>
        <source>情节轻微</source>
        <translation>Minor</translation>
    </message>
    <message>
        <source>情节严重</source>
        <translation>Serious</translation>
    </message>
    <message>
        <source>是否造成不良影响：</source>
        <translation>Adverse effect:</translation>
    </message>
    <message>
        <source>是否已被警告：</source>
        <translation>Warned before:</translation>
    </message>
    <message>
        <source>此前是否已被警告且整改后再次违反</source>
        <translation>Whether warned before and violated again after rectifying</translation>
    </message>
    <message>
        <source>工作人员角色：</source>
        <translation>Staff role:</translation>
    </message>
    <message>
        <source>考务管理人员</source>
        <translation>Exam administrator</translation>
    </message>
    <message>
        <source>考评人员</source>
        <translation>Assessor</translation>
    </message>
    <message>
        <source>质量督导员</source>
        <translation>Quality supervisor</translation>
    </message>
    <message>
        <source>考场负责人</source>
        <translation>Site head</translation>
    </message>
    <message>
        <source>评价活动结束后发现(&amp;A)</source>
        <translation>Found &amp;after the evaluation</translation>
    </message>
    <message>
        <source>是否已颁发证书：</source>
        <translation>Certificate issued:</translation>
    </message>
    <message>
        <source>处理决定日期：</source>
        <translation>Date of decision:</translation>
    </message>
    <message>
        <source>依据条款可能适用的处理（待评价机构认定）</source>
        <translation>Handling the clause may call for (subject to the institution&apos;s determination)</translation>
    </message>
</context>
<context>
    <name>ClauseDetail</name>
    <message>
        <source>视情况</source>
        <translation>at discretion</translation>
    </message>
    <message>
        <source>本地条款（%1）</source>
        <translation>Local clause (%1)</translation>
    </message>
    <message>
        <source>当事方</source>
        <translation>Party</translation>
    </message>
    <message>
        <source>原文</source>
        <translation>Original text</translation>
    </message>
    <message>
        <source>英文</source>
        <translation>English</translation>
    </message>
    <message>
        <source>处理措施</source>
        <translation>Measures</translation>
    </message>
    <message>
        <source>说明（采用的理解）</source>
        <translation>Notes (interpretation adopted)</translation>
    </message>
    <message>
        <source>认定所需事实</source>
        <translation>Facts needed for a determination</translation>
    </message>
    <message>
        <source>%1时，按 %2 处理</source>
        <translation>If %1, handled under %2</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>第%1条</source>
        <translation>Art. %2</translation>
    </message>
    <message>
        <source>第（%1）项</source>
        <translation>(%2)</translation>
    </message>
    <message>
        <source>参评人员</source>
        <translation>Candidate</translation>
    </message>
    <message>
        <source>工作人员</source>
        <translation>Staff</translation>
    </message>
    <message>
        <source>评价机构</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>处理程序</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <source>考务管理人员</source>
        <translation>Exam administrator</translation>
    </message>
    <message>
        <source>考评人员</source>
        <translation>Assessor</translation>
    </message>
    <message>
        <source>质量督导员</source>
        <translation>Quality supervisor</translation>
    </message>
    <message>
        <source>考场负责人</source>
        <translation>Site head</translation>
    </message>
    <message>
        <source>是否经提醒</source>
        <translation>Reminded</translation>
    </message>
    <message>
        <source>经提醒是否拒不改正</source>
        <translation>Refused to comply after a reminder</translation>
    </message>
    <message>
        <source>情节轻微或严重</source>
        <translation>Minor or serious</translation>
    </message>
    <message>
        <source>是否造成不良影响</source>
        <translation>Adverse effect caused</translation>
    </message>
    <message>
        <source>是否已被警告且整改后再次违反</source>
        <translation>Warned before and violated again after rectifying</translation>
    </message>
    <message>
        <source>是否已颁发证书</source>
        <translation>Certificate issued</translation>
    </message>
    <message>
        <source>情节严重</source>
        <translation>Serious</translation>
    </message>
    <message>
        <source>情节轻微</source>
        <translation>Minor</translation>
    </message>
    <message>
        <source>经提醒</source>
        <translation>reminded</translation>
    </message>
    <message>
        <source>经提醒拒不改正</source>
        <translation>refused to comply after a reminder</translation>
    </message>
    <message>
        <source>造成不良影响</source>
        <translation>adverse effect caused</translation>
    </message>
    <message>
        <source>已被警告且整改后再次违反</source>
        <translation>warned before and violated again after rectifying</translation>
    </message>
    <message>
        <source>已颁发证书</source>
        <translation>certificate issued</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>条款</source>
        <translation>Clause</translation>
    </message>
    <message>
        <source>当事方</source>
        <translation>Party</translation>
    </message>
    <message>
        <source>事发日期</source>
        <translation>Date of incident</translation>
    </message>
    <message>
        <source>处理决定日期</source>
        <translation>Date of decision</translation>
    </message>
    <message>
        <source>工作人员角色</source>
        <translation>Staff role</translation>
    </message>
    <message>
        <source>评价活动结束后发现</source>
        <translation>Found after the evaluation</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Proctor Desk 考场违纪违规记录</source>
        <translation>Proctor Desk: exam site violation records</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>退出(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>关于(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <source>Proctor Desk 考场违纪违规记录
版本 %1

依据《技能人才评价违纪违规行为处理工作指引（试行）》（人社职司便函〔2021〕57号）记录考场违纪违规行为。所示处理为依据条款可能适用的处理，以评价机构按程序认定为准。</source>
        <translation>Proctor Desk: exam site violation records
Version %1

Records violations at exam sites under the Guidelines for Handling Violations in Skilled-Talent Evaluation (Trial) (Ministry of Human Resources and Social Security, Vocational Capacity Building Department letter [2021] No. 57). The handling shown is what the clause may call for; the evaluation institution&apos;s determination under its procedure is what counts.</translation>
    </message>
    <message>
        <source>关于 Proctor Desk</source>
        <translation>About Proctor Desk</translation>
    </message>
</context>
<context>
    <name>OutcomeView</name>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>不取消</source>
        <translation>Not cancelled</translation>
    </message>
    <message>
        <source>取消当次该科目评价成绩</source>
        <translation>Score of this subject in this sitting cancelled</translation>
    </message>
    <message>
        <source>取消当次全部科目评价成绩</source>
        <translation>Scores of all subjects in this sitting cancelled</translation>
    </message>
    <message>
        <source>第（%1）项</source>
        <translation>(%1)</translation>
    </message>
    <message>
        <source>构成违纪违规</source>
        <translation>A violation</translation>
    </message>
    <message>
        <source>尚不能认定：待查明事实</source>
        <translation>Cannot be determined yet: facts to establish</translation>
    </message>
    <message>
        <source>不构成违纪违规</source>
        <translation>Not a violation</translation>
    </message>
    <message>
        <source>适用条款</source>
        <translation>Applicable clause</translation>
    </message>
    <message>
        <source>由 %1 升格适用（%2）</source>
        <translation>Escalated from %1 (%2)</translation>
    </message>
    <message>
        <source>升格</source>
        <translation>Escalation</translation>
    </message>
    <message>
        <source>处理措施</source>
        <translation>Measures</translation>
    </message>
    <message>
        <source>成绩处理</source>
        <translation>Scores</translation>
    </message>
    <message>
        <source>不得参加评价至（含）</source>
        <translation>Barred from evaluations until (inclusive)</translation>
    </message>
    <message>
        <source>移送有关部门</source>
        <translation>Referred to the authorities</translation>
    </message>
    <message>
        <source>证书</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>宣布已颁发证书无效，并处理证书数据</source>
        <translation>Issued certificates declared invalid and certificate data corrected</translation>
    </message>
    <message>
        <source>待查明事实</source>
        <translation>Facts to establish</translation>
    </message>
    <message>
        <source>无法判断</source>
        <translation>Cannot classify</translation>
    </message>
    <message>
        <source>请检查：</source>
        <translation>Please check: </translation>
    </message>
</context>
<context>
    <name>RulebookBrowser</name>
    <message>
        <source>规则无法加载</source>
        <extracomment>The clause shown changed (its id).</extracomment>
        <translation>The rules could not be loaded</translation>
    </message>
    <message>
        <source>共 %1 条</source>
        <translation>%1 clauses</translation>
    </message>
    <message>
        <source>找到 %1 条（按相关程度排列）</source>
        <translation>%1 found (most relevant first)</translation>
    </message>
    <message>
        <source>没有找到匹配的条款</source>
        <translation>No matching clauses</translation>
    </message>
    <message>
        <source>（本地）</source>
        <translation> (local)</translation>
    </message>
    <message>
        <source>规则浏览</source>
        <translation>Rules</translation>
    </message>
    <message>
        <source>规则(&amp;R)：</source>
        <translation>&amp;Rules:</translation>
    </message>
    <message>
        <source>全国指引或省级、行业实施细则</source>
        <translation>The national guideline, or provincial or industry implementing rules</translation>
    </message>
    <message>
        <source>搜索：描述行为，或输入条款号（Ctrl+F）</source>
        <translation>Search: describe the conduct or enter a clause number (Ctrl+F)</translation>
    </message>
    <message>
        <source>条款</source>
        <translation>Clause</translation>
    </message>
</context>
<context>
    <name>SignatureDialog</name>
    <message>
        <source>签名：%1（%2）</source>
        <translation>Signature: %1 (%2)</translation>
    </message>
    <message>
        <source>请 %1（%2）在下方框内签写本人姓名。</source>
        <translation>%1 (%2), please sign your name in the box below.</translation>
    </message>
    <message>
        <source>清除(&amp;C)</source>
        <translation>&amp;Clear</translation>
    </message>
    <message>
        <source>擦除全部笔画</source>
        <translation>Erase all strokes</translation>
    </message>
    <message>
        <source>撤销(&amp;U)</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <source>撤销上一笔 (Ctrl+Z)</source>
        <translation>Undo the last stroke (Ctrl+Z)</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <source>签名框</source>
        <translation>Signature box</translation>
    </message>
    <message>
        <source>请在此处签名 / Sign here</source>
        <translation>Sign here</translation>
    </message>
</context>
</TS>
