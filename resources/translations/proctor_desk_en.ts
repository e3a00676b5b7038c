<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AcknowledgeDialog</name>
    <message>
        <source>当事人不签名时（监考人员操作）：</source>
        <translation>If the person does not sign (for the proctor):</translation>
    </message>
    <message>
        <source>拒绝签名(&amp;R)…</source>
        <translation>&amp;Refuses to sign…</translation>
    </message>
    <message>
        <source>已离场(&amp;L)…</source>
        <translation>Has &amp;left…</translation>
    </message>
    <message>
        <source>当事人已离场、未能签名：由两名工作人员见证</source>
        <translation>The person had left the site and could not sign: two staff witness it</translation>
    </message>
</context>
<context>
    <name>AmendDialog</name>
    <message>
        <source>修订记录</source>
        <translation>Amend the record</translation>
    </message>
    <message>
        <source>原因(&amp;R)：</source>
        <translation>&amp;Reason:</translation>
    </message>
    <message>
        <source>考场负责人(&amp;S)：</source>
        <translation>&amp;Site head:</translation>
    </message>
    <message>
        <source>PIN(&amp;N)：</source>
        <translation>PI&amp;N:</translation>
    </message>
</context>
<context>
    <name>Art8Dialog</name>
    <message>
        <source>评价活动结束后发现的违纪违规（第八条）</source>
        <translation>Violation found after the evaluation (Art. 8)</translation>
    </message>
    <message>
        <source>姓名(&amp;N)：</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>证件类型(&amp;T)：</source>
        <translation>ID &amp;type:</translation>
    </message>
    <message>
        <source>证件号码(&amp;I)：</source>
        <translation>&amp;ID number:</translation>
    </message>
    <message>
        <source>条款(&amp;C)：</source>
        <translation>&amp;Clause:</translation>
    </message>
    <message>
        <source>不适用或待认定</source>
        <translation>Not applicable or to be determined</translation>
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
        <source>情节（第七条）(&amp;S)：</source>
        <translation>&amp;Severity (Art. 7):</translation>
    </message>
    <message>
        <source>评价日期(&amp;E)：</source>
        <translation>&amp;Evaluation date:</translation>
    </message>
    <message>
        <source>发现日期(&amp;F)：</source>
        <translation>&amp;Found on:</translation>
    </message>
    <message>
        <source>已颁发证书或已上网证书数据</source>
        <translation>A certificate was issued or its data published online</translation>
    </message>
    <message>
        <source>证书编号</source>
        <translation>Certificate number</translation>
    </message>
    <message>
        <source>职业（工种）</source>
        <translation>Occupation (work type)</translation>
    </message>
    <message>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>发证日期</source>
        <translation>Issued on</translation>
    </message>
    <message>
        <source>证书数据已上网</source>
        <translation>Data online</translation>
    </message>
    <message>
        <source>已颁发的证书，每行一本：证书编号必填；发证日期写作 yyyy-mm-dd，可不填。</source>
        <translation>The certificates issued, one per row: the certificate number is required; the issue date is written yyyy-mm-dd and may be left empty.</translation>
    </message>
    <message>
        <source>添加证书(&amp;A)</source>
        <translation>&amp;Add certificate</translation>
    </message>
    <message>
        <source>删除所选证书(&amp;R)</source>
        <translation>&amp;Remove selected certificates</translation>
    </message>
    <message>
        <source>已颁发的证书：</source>
        <translation>Certificates issued:</translation>
    </message>
    <message>
        <source>查实的情况(&amp;D)：</source>
        <translation>What was &amp;established:</translation>
    </message>
    <message>
        <source>工作人员一：</source>
        <translation>Staff member 1:</translation>
    </message>
    <message>
        <source>工作人员二：</source>
        <translation>Staff member 2:</translation>
    </message>
    <message>
        <source>负责人：</source>
        <translation>Responsible person:</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>职务或角色</source>
        <translation>Post or role</translation>
    </message>
    <message>
        <source>经确认（第八条）：由两名以上工作人员和负责人确认（参照第十六条第一款）。</source>
        <translation>Confirmed (Art. 8): by two or more staff and the responsible person (as Art. 16 ¶1 asks).</translation>
    </message>
    <message>
        <source>无等级或不详</source>
        <translation>No level, or not known</translation>
    </message>
    <message>
        <source>不详</source>
        <translation>Not known</translation>
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
        <source>没有立案：%1</source>
        <translation>No case was opened: %1</translation>
    </message>
</context>
<context>
    <name>BehaviourSearch</name>
    <message>
        <source>已选条款：%1</source>
        <extracomment>The clause chosen (by Enter, a click, or the question&apos;s answer).</extracomment>
        <translation>Clause chosen: %1</translation>
    </message>
</context>
<context>
    <name>BundleImport</name>
    <message>
        <source>已导入</source>
        <translation>Imported</translation>
    </message>
    <message>
        <source>已导入过（未改动）</source>
        <translation>Already imported (unchanged)</translation>
    </message>
    <message>
        <source>已拒绝</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>选择同步包</source>
        <translation>Choose sync bundles</translation>
    </message>
    <message>
        <source>同步包 (*.pdbundle *.bundle);;所有文件 (*)</source>
        <translation>Sync bundles (*.pdbundle *.bundle);;All files (*)</translation>
    </message>
    <message>
        <source>同步包已损坏、不完整或被改动</source>
        <translation>The bundle is damaged, incomplete or altered</translation>
    </message>
    <message>
        <source>不是本程序的同步包</source>
        <translation>Not a Proctor Desk sync bundle</translation>
    </message>
    <message>
        <source>同步包不是加密给本机构的</source>
        <translation>The bundle is not encrypted to this institution</translation>
    </message>
    <message>
        <source>无法读取该文件</source>
        <translation>The file cannot be read</translation>
    </message>
    <message>
        <source>设备签名无法验证</source>
        <translation>The device signature does not verify</translation>
    </message>
    <message>
        <source>该设备已被吊销，其同步包一律拒绝</source>
        <translation>This device was revoked; all its bundles are refused</translation>
    </message>
    <message>
        <source>设备尚未被接受（其场次不是由考点包创建的）；核对指纹后可点“接受设备…”</source>
        <translation>The device is not accepted yet (its session did not come from a site kit); check its fingerprint, then click “Accept device…”</translation>
    </message>
    <message>
        <source>与本机构已有的记录冲突</source>
        <translation>Conflicts with records already held by this institution</translation>
    </message>
    <message>
        <source>同步包是发给另一评价机构的</source>
        <translation>The bundle is meant for another institution</translation>
    </message>
    <message>
        <source>设备证书不是由本机构签发的，或与签名不符</source>
        <translation>The device certificate was not issued by this institution, or does not match the signature</translation>
    </message>
    <message>
        <source>这是考点包，不是同步包：请在考点笔记本上导入</source>
        <translation>This is a site kit, not a sync bundle: open it on the site laptop</translation>
    </message>
    <message>
        <source>同步包中的记录不符合格式</source>
        <translation>The bundle&apos;s records are not in the expected form</translation>
    </message>
    <message>
        <source>数据库未能保存本次导入，未导入任何记录</source>
        <translation>The database could not save the import; nothing was imported</translation>
    </message>
    <message>
        <source>{file} 由一台未使用考点包的设备签名。

设备指纹：
{fingerprint}

请与考点逐组核对指纹（考场负责人手中该设备导出同步包时给出的回执上有）。接受后将导入该同步包，此设备今后的同步包也会被接受。指纹一致吗？</source>
        <translation>{file} is signed by a device that did not get a site kit.

Device fingerprint:
{fingerprint}

Check the fingerprint group by group with the site (it is on the receipt the laptop gave when it exported the bundle). Once accepted, this bundle is imported and the device&apos;s later bundles are accepted too. Does the fingerprint match?</translation>
    </message>
    <message>
        <source>接受设备</source>
        <translation>Accept device</translation>
    </message>
    <message>
        <source>导入同步包</source>
        <extracomment>Records came in (at least one file imported): lists showing them are out of date.</extracomment>
        <translation>Import sync bundles</translation>
    </message>
    <message>
        <source>请选择要导入的同步包。</source>
        <translation>Choose the bundles to import.</translation>
    </message>
    <message>
        <source>添加文件…</source>
        <translation>Add files…</translation>
    </message>
    <message>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>从列表中移除所选的待导入文件</source>
        <translation>Take the selected waiting file off the list</translation>
    </message>
    <message>
        <source>接受设备…</source>
        <translation>Accept device…</translation>
    </message>
    <message>
        <source>核对所选同步包的设备指纹，接受该设备并重新导入</source>
        <translation>Check the device fingerprint of the selected bundle, accept the device and import again</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>待导入</source>
        <translation>To import</translation>
    </message>
    <message numerus="yes">
        <source>待导入 %n 个文件；点“导入”开始。</source>
        <translation>
            <numerusform>%n file waiting; click “Import” to start.</numerusform>
            <numerusform>%n files waiting; click “Import” to start.</numerusform>
        </translation>
    </message>
    <message>
        <source>正在检查并导入…</source>
        <translation>Checking and importing…</translation>
    </message>
    <message>
        <source>正在处理 {name}…</source>
        <translation>Processing {name}…</translation>
    </message>
    <message>
        <source>已导入 {a} 个，已导入过 {b} 个，拒绝 {c} 个。</source>
        <translation>Imported: {a}; already imported: {b}; rejected: {c}.</translation>
    </message>
    <message>
        <source>选中未被接受设备的同步包，核对指纹后可点“接受设备…”。</source>
        <translation> Select a bundle from a device not accepted yet, check its fingerprint, then click “Accept device…”.</translation>
    </message>
    <message numerus="yes">
        <source>新增 %n 条记录版本</source>
        <translation>
            <numerusform>%n new record version</numerusform>
            <numerusform>%n new record versions</numerusform>
        </translation>
    </message>
    <message>
        <source>；注意：该设备更早的同步包尚未导入</source>
        <translation>; note: an earlier bundle of this device has not been imported yet</translation>
    </message>
    <message>
        <source>；注意：现场新增的考生在禁考名单中：%1</source>
        <translation>; note: candidates added on site are on the register of barred candidates: %1</translation>
    </message>
    <message>
        <source>此前已导入，本次未作改动</source>
        <translation>Imported before; nothing changed</translation>
    </message>
    <message>
        <source>
设备指纹：{fingerprint}</source>
        <translation>
Device fingerprint: {fingerprint}</translation>
    </message>
    <message>
        <source>导入未完成：{error}</source>
        <translation>Import not completed: {error}</translation>
    </message>
    <message>
        <source>机构密钥口令：</source>
        <translation>Institution key passphrase:</translation>
    </message>
    <message>
        <source>机构密钥口令不正确，请重新输入。</source>
        <translation>The institution passphrase is wrong; enter it again.</translation>
    </message>
</context>
<context>
    <name>CandidateScreen</name>
    <message>
        <source>签名仅表示已知悉记录内容。</source>
        <translation>Signing only acknowledges that you have seen what is recorded.</translation>
    </message>
    <message>
        <source>记录编号</source>
        <translation>Record number</translation>
    </message>
    <message>
        <source>准考证号 %1</source>
        <translation>admission ticket %1</translation>
    </message>
    <message>
        <source>当事人</source>
        <translation>Person concerned</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>%1号座位</source>
        <translation>seat %1</translation>
    </message>
    <message>
        <source>科目与地点</source>
        <translation>Subject and place</translation>
    </message>
    <message>
        <source>违纪违规行为</source>
        <translation>Conduct</translation>
    </message>
    <message>
        <source>监考人员描述</source>
        <translation>Proctor&apos;s description</translation>
    </message>
    <message>
        <source>收据 %1</source>
        <translation>receipt %1</translation>
    </message>
    <message>
        <source>暂扣物品</source>
        <translation>Items held</translation>
    </message>
    <message>
        <source>可能适用的处理（待评价机构认定）</source>
        <translation>Possible measures (the institution decides)</translation>
    </message>
</context>
<context>
    <name>CaseLabels</name>
    <message>
        <source>待认定</source>
        <translation>Awaiting determination</translation>
    </message>
    <message>
        <source>已认定</source>
        <translation>Determined</translation>
    </message>
    <message>
        <source>已告知</source>
        <translation>Notified</translation>
    </message>
    <message>
        <source>已作出处理决定</source>
        <translation>Decided</translation>
    </message>
    <message>
        <source>处理决定已送达</source>
        <translation>Decision delivered</translation>
    </message>
    <message>
        <source>陈述申辩，待复核</source>
        <translation>Objection made, awaiting review</translation>
    </message>
    <message>
        <source>已复核</source>
        <translation>Reviewed</translation>
    </message>
    <message>
        <source>已结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>由监管部门认定处理</source>
        <translation>With the regulator</translation>
    </message>
    <message>
        <source>立案</source>
        <translation>Opened</translation>
    </message>
    <message>
        <source>所含记录有变化</source>
        <translation>Its records changed</translation>
    </message>
    <message>
        <source>认定（第十六条）</source>
        <translation>Determine (Art. 16)</translation>
    </message>
    <message>
        <source>告知（第十七条第一款）</source>
        <translation>Notice (Art. 17 ¶1)</translation>
    </message>
    <message>
        <source>当事人对告知的陈述</source>
        <translation>The person&apos;s response to the notice</translation>
    </message>
    <message>
        <source>作出处理决定（第十七条第二款）</source>
        <translation>Decide (Art. 17 ¶2)</translation>
    </message>
    <message>
        <source>送达或公告</source>
        <translation>Deliver or announce</translation>
    </message>
    <message>
        <source>陈述和申辩（第十九条）</source>
        <translation>Statement and defence (Art. 19)</translation>
    </message>
    <message>
        <source>复核决定（第十九条）</source>
        <translation>Review decision (Art. 19)</translation>
    </message>
    <message>
        <source>结案</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>移送、移交有关部门</source>
        <translation>Refer to the competent department</translation>
    </message>
    <message>
        <source>其他机关的处理结论（第十八条）</source>
        <translation>Another authority&apos;s conclusion (Art. 18)</translation>
    </message>
    <message>
        <source>向监管部门报备（第十六条第二款）</source>
        <translation>Report to the regulator (Art. 16 ¶2)</translation>
    </message>
    <message>
        <source>陈述期限已过</source>
        <translation>Response period over</translation>
    </message>
    <message>
        <source>申辩期限已过</source>
        <translation>Objection period over</translation>
    </message>
    <message>
        <source>告知书</source>
        <translation>Notice</translation>
    </message>
    <message>
        <source>处理决定书</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>复核决定书</source>
        <translation>Review decision</translation>
    </message>
    <message>
        <source>当事人陈述</source>
        <translation>The person&apos;s response</translation>
    </message>
    <message>
        <source>陈述和申辩</source>
        <translation>Statement and defence</translation>
    </message>
    <message>
        <source>其他机关的处理结论</source>
        <translation>Another authority&apos;s conclusion</translation>
    </message>
    <message>
        <source>移送文书</source>
        <translation>Referral</translation>
    </message>
    <message>
        <source>报备材料</source>
        <translation>Report to the regulator</translation>
    </message>
    <message>
        <source>居民身份证</source>
        <translation>Resident ID card</translation>
    </message>
    <message>
        <source>港澳居民来往内地通行证</source>
        <translation>Mainland travel permit for Hong Kong and Macao residents</translation>
    </message>
    <message>
        <source>台湾居民来往大陆通行证</source>
        <translation>Mainland travel permit for Taiwan residents</translation>
    </message>
    <message>
        <source>护照</source>
        <translation>Passport</translation>
    </message>
    <message>
        <source>外国人永久居留身份证</source>
        <translation>Foreign permanent resident ID card</translation>
    </message>
    <message>
        <source>评价活动结束后发现（第八条），经确认立案</source>
        <translation>Found after the evaluation (Art. 8), opened once confirmed</translation>
    </message>
    <message>
        <source>直接送达</source>
        <translation>Handed over</translation>
    </message>
    <message>
        <source>邮寄送达</source>
        <translation>By post</translation>
    </message>
    <message>
        <source>电子送达</source>
        <translation>Electronically</translation>
    </message>
    <message>
        <source>公告</source>
        <translation>Announced</translation>
    </message>
    <message>
        <source>维持</source>
        <translation>Upheld</translation>
    </message>
    <message>
        <source>变更</source>
        <translation>Changed</translation>
    </message>
    <message>
        <source>撤销</source>
        <translation>Annulled</translation>
    </message>
    <message>
        <source>未认定违纪违规</source>
        <translation>No violation determined</translation>
    </message>
    <message>
        <source>（逾期）</source>
        <translation> (late)</translation>
    </message>
    <message>
        <source>处理决定日期 %1</source>
        <translation>Decision dated %1</translation>
    </message>
    <message>
        <source>同步包导入时立案，含记录：%1</source>
        <translation>Opened at bundle import, with records: %1</translation>
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
        <source>造成不良影响</source>
        <translation>Caused an adverse effect</translation>
    </message>
    <message>
        <source>未造成不良影响</source>
        <translation>No adverse effect</translation>
    </message>
    <message>
        <source>新增记录：%1；不再有效：%2</source>
        <translation>Records added: %1; no longer in force: %2</translation>
    </message>
    <message>
        <source>认定违纪违规：%1</source>
        <translation>Violation determined: %1</translation>
    </message>
    <message>
        <source>%1 收到：%2</source>
        <translation>Received %1: %2</translation>
    </message>
    <message>
        <source>%1，%2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>；禁考期 %1 至 %2</source>
        <translation>; barred from %1 to %2</translation>
    </message>
    <message>
        <source>%1：%2，%3</source>
        <translation>%1: %2, %3</translation>
    </message>
</context>
<context>
    <name>CaseListPage</name>
    <message>
        <source>案件（依《指引》第十六条至第二十条办理）</source>
        <translation>Cases (handled under Articles 16–20 of the guideline)</translation>
    </message>
    <message>
        <source>状态(&amp;S)：</source>
        <translation>&amp;Status:</translation>
    </message>
    <message>
        <source>当事方(&amp;P)：</source>
        <translation>&amp;Party:</translation>
    </message>
    <message>
        <source>场次(&amp;E)：</source>
        <translation>S&amp;itting:</translation>
    </message>
    <message>
        <source>仅逾期(&amp;D)</source>
        <translation>Over&amp;due only</translation>
    </message>
    <message>
        <source>打开案件(&amp;O)</source>
        <translation>&amp;Open case</translation>
    </message>
    <message>
        <source>返回机构主页(&amp;B)</source>
        <translation>&amp;Back to the institution&apos;s home</translation>
    </message>
    <message>
        <source>陈述、申辩期限(&amp;L)…</source>
        <translation>Response and objection &amp;limits…</translation>
    </message>
    <message>
        <source>本机构工作规范（《指引》未规定期限）：逾期的案件在列表中标出</source>
        <translation>Institution practice (the guideline sets no deadline): overdue cases are marked in the list</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>%1 / %2 件</source>
        <translation>%1 / %2 cases</translation>
    </message>
    <message>
        <source>陈述、申辩期限</source>
        <translation>Response and objection periods</translation>
    </message>
    <message>
        <source>收到告知书后陈述的期限（天）：</source>
        <translation>Days to respond after the notice:</translation>
    </message>
    <message>
        <source>收到处理决定书后申辩的期限（天）：</source>
        <translation>Days to object after the decision:</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>姓名</source>
        <extracomment>How many rows ``select_case`` loads at most to find a case that is not loaded yet. A page of the list: (filters, offset, limit) → its rows, as ``CaseDesk.list`` gives them.</extracomment>
        <translation>Name</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>当事方</source>
        <translation>Party</translation>
    </message>
    <message>
        <source>场次</source>
        <translation>Sitting</translation>
    </message>
    <message>
        <source>条款</source>
        <translation>Clauses</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>（无考点记录）</source>
        <translation>(no site record)</translation>
    </message>
</context>
<context>
    <name>CaseWindow</name>
    <message>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>文书（双击查看）：</source>
        <translation>Documents (double-click to view):</translation>
    </message>
    <message>
        <source>关闭(&amp;C)</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>状态：%1</source>
        <translation>Status: %1</translation>
    </message>
    <message>
        <source>条款：%1</source>
        <translation>Clauses: %1</translation>
    </message>
    <message>
        <source>所含记录：%1</source>
        <translation>Records: %1</translation>
    </message>
    <message>
        <source>评价活动结束后发现（第八条），无考点记录</source>
        <translation>Found after the evaluation (Art. 8), no site record</translation>
    </message>
    <message>
        <source>案件：%1</source>
        <translation>Case: %1</translation>
    </message>
    <message>
        <source>证书数据已上网</source>
        <translation>certificate data online</translation>
    </message>
    <message>
        <source>证书数据未上网</source>
        <translation>certificate data not online</translation>
    </message>
    <message>
        <source>发证日期 %1</source>
        <translation>issued %1</translation>
    </message>
    <message>
        <source>已颁发证书：%1</source>
        <translation>Certificate issued: %1</translation>
    </message>
    <message>
        <source>处理决定日期：%1</source>
        <translation>Decision date: %1</translation>
    </message>
    <message>
        <source>禁考期：%1 至 %2（含）</source>
        <translation>Barred from %1 to %2 (inclusive)</translation>
    </message>
    <message>
        <source>回复或申辩期限：%1（本机构工作规范，《指引》未规定期限）</source>
        <translation>Response or objection by %1 (institution practice; the guideline sets no deadline)</translation>
    </message>
    <message>
        <source>审阅人只能查看，办理步骤由管理员进行。</source>
        <translation>A reviewer reads only; an admin takes the steps.</translation>
    </message>
    <message>
        <source>已结案。</source>
        <translation>Closed.</translation>
    </message>
    <message>
        <source>评价机构的违规由监管部门认定处理，此处只记录其结论：</source>
        <translation>The regulator determines and decides an institution&apos;s case; only its conclusions are recorded here:</translation>
    </message>
    <message>
        <source>下一步：</source>
        <translation>Next:</translation>
    </message>
    <message>
        <source>步骤</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>账号</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>%1（%2，SHA-256 %3…）</source>
        <translation>%1 (%2, SHA-256 %3…)</translation>
    </message>
    <message>
        <source>尚无</source>
        <translation>None yet</translation>
    </message>
    <message>
        <source>无法打开该文书：%1</source>
        <translation>The document cannot be opened: %1</translation>
    </message>
    <message>
        <source>机构密钥口令不正确，文书没有制作，案件未改变。</source>
        <translation>The institution passphrase is wrong: no document was made and the case is unchanged.</translation>
    </message>
    <message>
        <source>在您查看之后，其他账号已办理了本案件的步骤（见下表）；您的操作没有进行。已显示案件现在的状态，请确认后再办理。</source>
        <translation>Another account took a step on this case after you opened it (see the table); your step was not taken. The case is shown as it stands now: check it, then act again.</translation>
    </message>
    <message>
        <source>此步骤没有进行：%1</source>
        <translation>The step was not taken: %1</translation>
    </message>
    <message>
        <source>已办理：%1</source>
        <translation>Done: %1</translation>
    </message>
</context>
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
    <message>
        <source>尚未作出处理决定</source>
        <extracomment>The user picked another clause in the panel&apos;s own clause box.</extracomment>
        <translation>No decision yet</translation>
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
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>无需另行查明的事实</source>
        <translation>No further facts to establish</translation>
    </message>
    <message>
        <source>适用人员</source>
        <translation>Applies to</translation>
    </message>
</context>
<context>
    <name>ClockPage</name>
    <message>
        <source>核对本机时间</source>
        <translation>Check this computer&apos;s clock</translation>
    </message>
    <message>
        <source>记录中的时间以本机时钟为准。请考场负责人对照标准时间核对：时间正确请确认，不正确请填写实际时间。确认和更正都会记入审计日志。</source>
        <translation>Times in the records come from this computer&apos;s clock. Site head, please compare it with the standard time: confirm it if it is right, or enter the actual time if it is not. Both are written to the audit log.</translation>
    </message>
    <message>
        <source>考场负责人(&amp;H)：</source>
        <translation>Site &amp;head:</translation>
    </message>
    <message>
        <source>PIN(&amp;P)：</source>
        <translation>&amp;PIN:</translation>
    </message>
    <message>
        <source>本机时间正确(&amp;R)</source>
        <translation>The clock is &amp;right</translation>
    </message>
    <message>
        <source>时间不对，实际时间是(&amp;W)：</source>
        <translation>The clock is &amp;wrong; the actual time is:</translation>
    </message>
    <message>
        <source>确认(&amp;C)</source>
        <translation>&amp;Confirm</translation>
    </message>
    <message>
        <source>本场次没有考场负责人，无法核对时间</source>
        <translation>This sitting has no site head, so the clock cannot be checked</translation>
    </message>
    <message>
        <source>PIN 不正确，请重新输入</source>
        <translation>Wrong PIN: please enter it again</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>场次</source>
        <translation>Sitting</translation>
    </message>
    <message>
        <source>评价机构：</source>
        <translation>Institution:</translation>
    </message>
    <message>
        <source>备案码：</source>
        <translation>Filing code:</translation>
    </message>
    <message>
        <source>考点：</source>
        <translation>Exam site:</translation>
    </message>
    <message>
        <source>职业及等级：</source>
        <translation>Occupation and level:</translation>
    </message>
    <message>
        <source>进行中的科目：</source>
        <translation>Subject in progress:</translation>
    </message>
    <message>
        <source>锁定(&amp;L)</source>
        <translation>&amp;Lock</translation>
    </message>
    <message>
        <source>设置 PIN(&amp;I)…</source>
        <translation>Set P&amp;INs…</translation>
    </message>
    <message>
        <source>考生名单</source>
        <translation>Candidates</translation>
    </message>
    <message>
        <source>查找(&amp;S)：</source>
        <translation>&amp;Search:</translation>
    </message>
    <message>
        <source>座位号、准考证号、姓名或证件号码末几位</source>
        <translation>Seat, admission ticket number, name or last digits of the ID number</translation>
    </message>
    <message>
        <source>考场：</source>
        <translation>Room:</translation>
    </message>
    <message>
        <source>违纪违规记录</source>
        <translation>Violation records</translation>
    </message>
    <message>
        <source>状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>条款：</source>
        <translation>Clause:</translation>
    </message>
    <message>
        <source>当事方：</source>
        <translation>Party:</translation>
    </message>
    <message>
        <source>新建记录(&amp;N)</source>
        <translation>&amp;New record</translation>
    </message>
    <message>
        <source>规则</source>
        <translation>Rules</translation>
    </message>
    <message>
        <source>待签名或确认</source>
        <translation>Awaiting signatures or confirmation</translation>
    </message>
    <message>
        <source>评价机构查看（只读）</source>
        <translation>Institution view (read-only)</translation>
    </message>
    <message>
        <source>签发导入回执(&amp;R)…</source>
        <translation>Sign the import &amp;receipt…</translation>
    </message>
    <message>
        <source>考点凭回执确认评价机构已收到该数据包及其之前的全部记录，方可清除个人信息</source>
        <translation>With the receipt the site knows the institution holds this bundle and every record before it, and may then remove the personal data</translation>
    </message>
    <message>
        <source>操作人：%1</source>
        <translation>Operator: %1</translation>
    </message>
    <message>
        <source>已导入的数据包</source>
        <translation>Imported bundles</translation>
    </message>
    <message>
        <source>%1（%2–%3）</source>
        <translation>%1 (%2–%3)</translation>
    </message>
    <message>
        <source>暂无；下一科目：%1，%2 开始</source>
        <translation>None; next subject: %1, starting %2</translation>
    </message>
    <message>
        <source>暂无（各科目均已结束）</source>
        <translation>None (all subjects have ended)</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>共 … 条</source>
        <translation>… records</translation>
    </message>
    <message numerus="yes">
        <source>共 %n 条</source>
        <translation>
            <numerusform>%n record</numerusform>
            <numerusform>%n records</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 / %2 人</source>
        <translation>%1 / %2 people</translation>
    </message>
    <message>
        <source>尚未设置本人 PIN、还不能签名：%1</source>
        <translation>No PIN of their own yet, so they cannot sign: %1</translation>
    </message>
    <message>
        <source>待工作人员签名</source>
        <translation>Awaiting staff signatures</translation>
    </message>
    <message>
        <source>待考场负责人确认</source>
        <translation>Awaiting the site head&apos;s confirmation</translation>
    </message>
    <message>
        <source>全部记录均已签名并确认。</source>
        <translation>All records are signed and confirmed.</translation>
    </message>
    <message>
        <source>%1 条待签名，%2 条待确认</source>
        <translation>Awaiting signatures: %1; awaiting confirmation: %2</translation>
    </message>
    <message numerus="yes">
        <source>设备 %1 · %2数据包
写出 %3 · 导入 %4
新增 %n 条记录</source>
        <translation>
            <numerusform>Device %1 · %2 bundle
written %3 · imported %4
%n record added</numerusform>
            <numerusform>Device %1 · %2 bundle
written %3 · imported %4
%n records added</numerusform>
        </translation>
    </message>
    <message>
        <source>完整</source>
        <translation>full</translation>
    </message>
    <message>
        <source>增量</source>
        <translation>incremental</translation>
    </message>
    <message>
        <source>此前的数据包尚未导入，可能缺少记录</source>
        <translation>An earlier bundle has not been imported: records may be missing</translation>
    </message>
    <message numerus="yes">
        <source>共 %n 个数据包，</source>
        <translation>
            <numerusform>%n bundle </numerusform>
            <numerusform>%n bundles </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>来自 %n 台设备</source>
        <translation>
            <numerusform>from %n device</numerusform>
            <numerusform>from %n devices</numerusform>
        </translation>
    </message>
    <message>
        <source>尚未导入本场次的数据包。</source>
        <translation>No bundle of this session has been imported yet.</translation>
    </message>
</context>
<context>
    <name>DevicesDialog</name>
    <message>
        <source>设备</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>经考点包认证的设备自动接受。没有考点包的设备，须与考点核对完整指纹后接受；丢失的设备请吊销，吊销后其同步包一律拒绝。</source>
        <translation>Devices certified through a site kit are accepted automatically. A device without a kit is accepted only after its whole fingerprint has been checked with the site; revoke a lost device, and every bundle it sends afterwards is refused.</translation>
    </message>
    <message>
        <source>指纹</source>
        <translation>Fingerprint</translation>
    </message>
    <message>
        <source>设备代码</source>
        <translation>Device code</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>接受(&amp;A)</source>
        <translation>&amp;Accept</translation>
    </message>
    <message>
        <source>吊销(&amp;R)…</source>
        <translation>&amp;Revoke…</translation>
    </message>
    <message>
        <source>已吊销 %1：%2</source>
        <translation>Revoked %1: %2</translation>
    </message>
    <message>
        <source>已由管理员接受</source>
        <translation>Accepted by an admin</translation>
    </message>
    <message>
        <source>经考点包认证或已导入</source>
        <translation>Certified by a site kit, or imported</translation>
    </message>
    <message>
        <source>已接受设备 %1</source>
        <translation>Accepted device %1</translation>
    </message>
    <message>
        <source>吊销设备</source>
        <translation>Revoke device</translation>
    </message>
    <message>
        <source>吊销原因（将随记录保存）：</source>
        <translation>Reason for the revocation (kept with the records):</translation>
    </message>
    <message>
        <source>请说明吊销原因。</source>
        <translation>Say why the device is revoked.</translation>
    </message>
    <message>
        <source>已吊销设备 %1</source>
        <translation>Revoked device %1</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>请输入%1的PIN码后签名</source>
        <translation>Enter %1&apos;s PIN to sign.</translation>
    </message>
    <message>
        <source>请输入%1的PIN码后确认</source>
        <translation>Enter %1&apos;s PIN to confirm.</translation>
    </message>
    <message>
        <source>请输入%1的PIN码后作废记录</source>
        <translation>Enter %1&apos;s PIN to void the record.</translation>
    </message>
    <message>
        <source>请输入%1的PIN码后记录归还</source>
        <translation>Enter %1&apos;s PIN to record the return.</translation>
    </message>
    <message>
        <source>出现意外错误</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <source>无法完成</source>
        <translation>Could not complete</translation>
    </message>
    <message>
        <source>（未设置日志文件）</source>
        <translation>(no log file set)</translation>
    </message>
    <message>
        <source>详细信息已写入日志文件：</source>
        <translation>The details are in the log file:</translation>
    </message>
    <message>
        <source>请输入%1的PIN码</source>
        <translation>Enter %1&apos;s PIN.</translation>
    </message>
    <message>
        <source>%1的PIN码不正确，请重试</source>
        <translation>Wrong PIN for %1; try again.</translation>
    </message>
    <message>
        <source>很抱歉，程序遇到了意外问题，刚才的操作没有完成。已保存的记录不受影响。</source>
        <translation>Sorry, the program ran into an unexpected problem and the last action was not completed. Records already saved are not affected.</translation>
    </message>
    <message>
        <source>%1尚未设置PIN码，请考场负责人先为其设置后再签名</source>
        <translation>%1 has no PIN yet: the site head gives them one before they sign</translation>
    </message>
</context>
<context>
    <name>ExportBundle</name>
    <message>
        <source>保存同步包</source>
        <translation>Save the sync bundle</translation>
    </message>
    <message>
        <source>同步包 (*.pdbundle)</source>
        <translation>Sync bundles (*.pdbundle)</translation>
    </message>
</context>
<context>
    <name>ExportBundleDialog</name>
    <message>
        <source>导出同步包</source>
        <translation>Export a sync bundle</translation>
    </message>
    <message>
        <source>同步包文件(&amp;F)：</source>
        <translation>Bundle &amp;file:</translation>
    </message>
    <message>
        <source>选择(&amp;B)…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>仅导出上次之后的记录(&amp;L)</source>
        <translation>Only records since the &amp;last export</translation>
    </message>
    <message>
        <source>回执（请抄入纸质交接记录）：</source>
        <translation>Receipt (copy it into the paper hand-over log):</translation>
    </message>
    <message>
        <source>复制回执(&amp;C)</source>
        <translation>&amp;Copy receipt</translation>
    </message>
    <message>
        <source>打印回执(&amp;P)…</source>
        <translation>&amp;Print receipt…</translation>
    </message>
    <message>
        <source>导出(&amp;E)</source>
        <translation>&amp;Export</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>该文件已存在，请另选文件名。</source>
        <translation>That file already exists; choose another file name.</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>同步包已导出，请交评价机构导入。</source>
        <translation>The sync bundle is exported; hand it to the institution to import.</translation>
    </message>
    <message>
        <source>已加密给评价机构</source>
        <translation>encrypted to the institution</translation>
    </message>
    <message>
        <source>已签名，未加密</source>
        <translation>signed, not encrypted</translation>
    </message>
    <message>
        <source>增量（上次之后）</source>
        <translation>incremental (since the last bundle)</translation>
    </message>
    <message>
        <source>完整</source>
        <translation>full</translation>
    </message>
    <message>
        <source>同步包编号：%1</source>
        <translation>Bundle: %1</translation>
    </message>
    <message>
        <source>生成时间：%1（%2）</source>
        <translation>Created: %1 (%2)</translation>
    </message>
    <message>
        <source>校验码（SHA-256 前16位）：%1</source>
        <translation>Check code (first 16 hex digits of SHA-256): %1</translation>
    </message>
    <message>
        <source>设备指纹（前16位）：%1</source>
        <translation>Device fingerprint (first 16 digits): %1</translation>
    </message>
    <message>
        <source>场次：%1，%2</source>
        <translation>Session: %1, %2</translation>
    </message>
    <message>
        <source>记录版本 %1 条，审计记录 %2 条，证据文件 %3 个，已签名PDF %4 份</source>
        <translation>Incident versions %1, audit entries %2, evidence files %3, signed PDFs %4</translation>
    </message>
    <message>
        <source>同步包交接回执</source>
        <translation>Bundle handover receipt</translation>
    </message>
    <message>
        <source>完整 SHA-256：%1</source>
        <translation>Full SHA-256: %1</translation>
    </message>
    <message>
        <source>完整设备指纹：%1</source>
        <translation>Full device fingerprint: %1</translation>
    </message>
    <message>
        <source>交出人签名：____________    接收人签名：____________    日期：__________</source>
        <translation>Handed over by: ____________    Received by: ____________    Date: __________</translation>
    </message>
    <message>
        <source>回执已发送到打印机。</source>
        <translation>The receipt was sent to the printer.</translation>
    </message>
    <message>
        <source>回执已复制。</source>
        <translation>Receipt copied.</translation>
    </message>
</context>
<context>
    <name>FactQuestions</name>
    <message>
        <source>待机构认定</source>
        <translation>For the institution to determine</translation>
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
        <source>未确定</source>
        <translation>Not established</translation>
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
        <source>（先选当事人）</source>
        <translation>(choose the person first)</translation>
    </message>
</context>
<context>
    <name>FilingDialog</name>
    <message>
        <source>超出备案范围</source>
        <translation>Outside the filing</translation>
    </message>
    <message>
        <source>已知悉，继续(&amp;C)</source>
        <translation>Understood, &amp;continue</translation>
    </message>
    <message>
        <source>返回(&amp;B)</source>
        <translation>&amp;Back</translation>
    </message>
    <message>
        <source>选择备案信息 CSV 文件</source>
        <translation>Choose the filing CSV file</translation>
    </message>
    <message>
        <source>备案信息</source>
        <translation>Filing</translation>
    </message>
    <message>
        <source>按备案回执填写：备案码、机构类型、备案的职业（工种）及等级，以及分支机构（仅用人单位）及其备案码。每次保存形成新的版本，旧版本保留。</source>
        <translation>Fill in as on the filing receipt: the filing code, the kind of institution, the filed occupations (work types) and levels, and the branches (employers only) with their filing codes. Each save makes a new version; earlier versions are kept.</translation>
    </message>
    <message>
        <source>用人单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>社会培训评价组织</source>
        <translation>Social training and evaluation organisation</translation>
    </message>
    <message>
        <source>本次修改的原因，如新的备案回执</source>
        <translation>Why it changes, e.g. a new filing receipt</translation>
    </message>
    <message>
        <source>备案码(&amp;C)：</source>
        <translation>Filing &amp;code:</translation>
    </message>
    <message>
        <source>机构类型(&amp;K)：</source>
        <translation>&amp;Kind:</translation>
    </message>
    <message>
        <source>职业</source>
        <translation>Occupation</translation>
    </message>
    <message>
        <source>工种</source>
        <translation>Work type</translation>
    </message>
    <message>
        <source>分支机构备案码</source>
        <translation>Branch filing code</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>添加职业(&amp;O)</source>
        <translation>Add &amp;occupation</translation>
    </message>
    <message>
        <source>删除所选职业</source>
        <translation>Remove selected occupations</translation>
    </message>
    <message>
        <source>添加分支机构(&amp;A)</source>
        <translation>&amp;Add branch</translation>
    </message>
    <message>
        <source>删除所选分支机构</source>
        <translation>Remove selected branches</translation>
    </message>
    <message>
        <source>从 CSV 导入(&amp;I)…</source>
        <translation>&amp;Import from CSV…</translation>
    </message>
    <message>
        <source>保存为新版本(&amp;S)</source>
        <translation>&amp;Save as a new version</translation>
    </message>
    <message>
        <source>备案职业（工种）及等级：</source>
        <translation>Filed occupations (work types) and levels:</translation>
    </message>
    <message>
        <source>分支机构：</source>
        <translation>Branches:</translation>
    </message>
    <message>
        <source>修改原因(&amp;N)：</source>
        <translation>Reason for the change (&amp;N):</translation>
    </message>
    <message>
        <source>第 %1 版，由 %2 于 %3（UTC）记录</source>
        <translation>Version %1, recorded by %2 on %3 (UTC)</translation>
    </message>
    <message>
        <source>尚未记录备案信息。</source>
        <translation>No filing recorded yet.</translation>
    </message>
    <message>
        <source>未导入，未作任何更改：
%1</source>
        <translation>Not imported; nothing was changed:
%1</translation>
    </message>
    <message>
        <source>已从 CSV 读入备案信息，请核对后保存。</source>
        <translation>The filing was read from the CSV file; check it, then save.</translation>
    </message>
    <message>
        <source>未保存：
%1</source>
        <translation>Not saved:
%1</translation>
    </message>
    <message>
        <source>已保存为第 %1 版备案信息。</source>
        <translation>Saved as version %1 of the filing.</translation>
    </message>
</context>
<context>
    <name>ImportReceipt</name>
    <message>
        <source>保存导入回执</source>
        <translation>Save the import receipt</translation>
    </message>
    <message>
        <source>导入回执 (*.pdreceipt)</source>
        <translation>Import receipts (*.pdreceipt)</translation>
    </message>
    <message>
        <source>签发导入回执</source>
        <translation>Sign the import receipt</translation>
    </message>
    <message>
        <source>已签发导入回执：%1</source>
        <translation>Import receipt signed: %1</translation>
    </message>
    <message>
        <source>没有签发回执：%1</source>
        <translation>No receipt was signed: %1</translation>
    </message>
    <message>
        <source>%1 已存在：请换一个文件名。</source>
        <translation>%1 exists already: choose another name.</translation>
    </message>
    <message>
        <source>无法写入 %1：%2</source>
        <translation>Cannot write %1: %2</translation>
    </message>
</context>
<context>
    <name>IncidentDialogs</name>
    <message>
        <source>选择证据文件</source>
        <translation>Choose evidence files</translation>
    </message>
    <message>
        <source>图片、录像与文档 (*.jpg *.jpeg *.png *.mp4 *.mov *.pdf);;所有文件 (*)</source>
        <translation>Pictures, videos and documents (*.jpg *.jpeg *.png *.mp4 *.mov *.pdf);;All files (*)</translation>
    </message>
    <message>
        <source>归还暂扣物品</source>
        <translation>Return a held item</translation>
    </message>
    <message>
        <source>领回人姓名：</source>
        <translation>Collected by (name):</translation>
    </message>
</context>
<context>
    <name>IncidentTableModel</name>
    <message>
        <source>待评价机构认定</source>
        <translation>Pending the institution&apos;s determination</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已签名，待确认</source>
        <translation>Signed, awaiting confirmation</translation>
    </message>
    <message>
        <source>已确认</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <source>已导出</source>
        <translation>Exported</translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>当事方</source>
        <translation>Party</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>考场</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>座位</source>
        <translation>Seat</translation>
    </message>
    <message>
        <source>条款</source>
        <translation>Clause</translation>
    </message>
    <message>
        <source>科目</source>
        <translation>Subject</translation>
    </message>
</context>
<context>
    <name>IncidentWindow</name>
    <message>
        <source>记录违纪违规</source>
        <translation>Record a violation</translation>
    </message>
    <message>
        <source>当事人、时间与地点</source>
        <translation>Person, time and place</translation>
    </message>
    <message>
        <source>当事方(&amp;P)：</source>
        <translation>&amp;Party:</translation>
    </message>
    <message>
        <source>当事人(&amp;W)：</source>
        <translation>&amp;Who:</translation>
    </message>
    <message>
        <source>姓名、准考证号、座位（如 1-5）或证件号后几位</source>
        <translation>Name, admission ticket number, seat (e.g. 1-5) or last digits of the ID number</translation>
    </message>
    <message>
        <source>已选：</source>
        <translation>Selected:</translation>
    </message>
    <message>
        <source>记录人（质量督导员）：</source>
        <translation>Recorded by (quality supervisor):</translation>
    </message>
    <message>
        <source>科目(&amp;J)：</source>
        <translation>Sub&amp;ject:</translation>
    </message>
    <message>
        <source>发生时间(&amp;T)：</source>
        <translation>&amp;Time:</translation>
    </message>
    <message>
        <source>地点(&amp;L)：</source>
        <translation>&amp;Location:</translation>
    </message>
    <message>
        <source>座位号：</source>
        <translation>Seat:</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>违纪违规行为</source>
        <translation>Conduct</translation>
    </message>
    <message>
        <source>用平常的话描述行为，例如：使用手机（回车选第一项）</source>
        <translation>Describe the conduct in plain words, e.g. used a phone (Enter picks the first match)</translation>
    </message>
    <message>
        <source>使用了还是仅携带？</source>
        <translation>Used, or only carried?</translation>
    </message>
    <message>
        <source>使用了(&amp;U)</source>
        <translation>&amp;Used</translation>
    </message>
    <message>
        <source>仅携带(&amp;C)</source>
        <translation>Only &amp;carried</translation>
    </message>
    <message>
        <source>该条款需要查明的事实</source>
        <translation>Facts this clause needs</translation>
    </message>
    <message>
        <source>是否经提醒：</source>
        <translation>Reminded:</translation>
    </message>
    <message>
        <source>经提醒是否拒不改正：</source>
        <translation>Refused after a reminder:</translation>
    </message>
    <message>
        <source>情节：</source>
        <translation>Severity:</translation>
    </message>
    <message>
        <source>是否造成不良影响：</source>
        <translation>Adverse effect:</translation>
    </message>
    <message>
        <source>是否已被警告且整改后再次违反：</source>
        <translation>Warned and violated again after rectifying:</translation>
    </message>
    <message>
        <source>工作人员角色：</source>
        <translation>Staff role:</translation>
    </message>
    <message>
        <source>监考人员描述(&amp;D)</source>
        <translation>Proctor&apos;s &amp;description</translation>
    </message>
    <message>
        <source>当事人陈述（可选，由当事人签名确认）</source>
        <translation>Statement by the person (optional, confirmed by their signature)</translation>
    </message>
    <message>
        <source>暂扣物品</source>
        <translation>Items held</translation>
    </message>
    <message>
        <source>物品</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>收据编号</source>
        <translation>Receipt no.</translation>
    </message>
    <message>
        <source>归还</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>暂扣一部手机，收据编号取下一个</source>
        <translation>Hold one mobile phone under the next receipt number</translation>
    </message>
    <message>
        <source>暂扣手机(&amp;H)</source>
        <translation>&amp;Hold phone</translation>
    </message>
    <message>
        <source>添加物品</source>
        <translation>Add item</translation>
    </message>
    <message>
        <source>删除物品</source>
        <translation>Remove item</translation>
    </message>
    <message>
        <source>记录归还…</source>
        <translation>Record return…</translation>
    </message>
    <message>
        <source>证据文件</source>
        <translation>Evidence files</translation>
    </message>
    <message>
        <source>添加文件…</source>
        <translation>Add files…</translation>
    </message>
    <message>
        <source>监控录像</source>
        <translation>CCTV footage</translation>
    </message>
    <message>
        <source>摄像头编号</source>
        <translation>Camera no.</translation>
    </message>
    <message>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>添加录像</source>
        <translation>Add footage</translation>
    </message>
    <message>
        <source>删除录像</source>
        <translation>Remove footage</translation>
    </message>
    <message>
        <source>依据条款可能适用的处理（待评价机构认定）</source>
        <translation>Handling the clause may call for (subject to the institution&apos;s determination)</translation>
    </message>
    <message>
        <source>打印/导出记录(&amp;E)</source>
        <translation>Print/&amp;export the record</translation>
    </message>
    <message>
        <source>修订…</source>
        <translation>Amend…</translation>
    </message>
    <message>
        <source>作废…</source>
        <translation>Void…</translation>
    </message>
    <message>
        <source>发生时间晚于当前时间，请核对。</source>
        <translation>This time is later than now; please check it.</translation>
    </message>
    <message>
        <source>发生时间不在本场次任何科目的考试时间内，请核对。</source>
        <translation>This time is outside every subject&apos;s exam time in this session; please check it.</translation>
    </message>
    <message>
        <source>已核对：发生时间确实不在任何科目的考试时间内(&amp;K)</source>
        <translation>Chec&amp;ked: the time really is outside every subject&apos;s exam time</translation>
    </message>
    <message>
        <source>发生时间在“%1”的考试时间内，与所选科目不符，请核对。</source>
        <translation>This time falls within the exam time of “%1”, not the chosen subject; please check it.</translation>
    </message>
    <message>
        <source>选择当事人与违纪违规行为后，这里显示依据条款可能适用的处理。</source>
        <translation>Once the person and the conduct are chosen, the handling the clause may call for is shown here.</translation>
    </message>
    <message>
        <source>请先选择当事人（工作人员的角色决定适用的处理）。</source>
        <translation>Choose the person first (a staff member&apos;s role decides the handling that applies).</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>未保存：%1</source>
        <translation>Not saved: %1</translation>
    </message>
    <message>
        <source>未保存：出现意外问题，详情已写入日志。</source>
        <translation>Not saved: an unexpected problem occurred; the details are in the log.</translation>
    </message>
    <message>
        <source>已保存草稿 %1（%2）</source>
        <translation>Draft saved %1 (%2)</translation>
    </message>
    <message numerus="yes">
        <source>记录内容已修改：之前的 %n 个签名已作废，须重新签名和确认。</source>
        <translation>
            <numerusform>The record has changed: the earlier signature is void and it must be signed and confirmed again.</numerusform>
            <numerusform>The record has changed: the %n earlier signatures are void and it must be signed and confirmed again.</numerusform>
        </translation>
    </message>
    <message>
        <source>违纪违规记录 %1</source>
        <translation>Violation record %1</translation>
    </message>
    <message>
        <source>已确认并封存 %1（%2）</source>
        <translation>Confirmed and sealed %1 (%2)</translation>
    </message>
    <message>
        <source>已作废（%2）；第%3版仍有效</source>
        <translation>Void (%2); version %3 stays in force</translation>
    </message>
    <message>
        <source>已作废（%2）</source>
        <translation>Void (%2)</translation>
    </message>
    <message>
        <source>评价机构留存联(&amp;I)…</source>
        <translation>&amp;Institution&apos;s copy…</translation>
    </message>
    <message>
        <source>当事人联(&amp;C)…</source>
        <translation>Person&apos;s &amp;copy…</translation>
    </message>
    <message>
        <source>%1 有 %2，超过 %3 的上限，未添加：请附较短的片段，或在描述中注明原文件的保存位置。</source>
        <translation>%1 is %2, over the %3 limit, and was not added: attach a shorter clip, or say in the description where the original file is kept.</translation>
    </message>
    <message>
        <source>修订记录</source>
        <translation>Amend the record</translation>
    </message>
    <message>
        <source>修订会生成新版本，原版本保留；新版本须重新签名并由考场负责人确认。请写明修订原因。</source>
        <translation>Amending creates a new version and keeps the original; the new version must be signed again and confirmed by the site head. Give the reason for the amendment.</translation>
    </message>
    <message>
        <source>请选择考场负责人。</source>
        <translation>Choose the site head.</translation>
    </message>
    <message>
        <source>作废记录</source>
        <translation>Void the record</translation>
    </message>
    <message>
        <source>作废须写明原因，并由考场负责人输入 PIN 批准。</source>
        <translation>Voiding needs a reason and the site head&apos;s approval with their PIN.</translation>
    </message>
    <message>
        <source>作废本次修订（第%1版）</source>
        <translation>Void this amendment (version %1)</translation>
    </message>
    <message>
        <source>只作废本次修订：第%1版重新成为有效版本。须写明原因，并由考场负责人输入 PIN 批准。</source>
        <translation>Only this amendment is voided: version %1 is in force again. Give the reason; the site head approves with their PIN.</translation>
    </message>
</context>
<context>
    <name>InstitutionHome</name>
    <message>
        <source>考试日期</source>
        <translation>Exam date</translation>
    </message>
    <message>
        <source>考点</source>
        <translation>Site</translation>
    </message>
    <message>
        <source>职业（工种）及等级</source>
        <translation>Occupation and level</translation>
    </message>
    <message>
        <source>记录数</source>
        <translation>Records</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>尚无场次。请新建场次计划并导出考点包，或导入考点发来的同步包。</source>
        <translation>No sessions yet. Plan a session and write its site kit, or import the bundles a site sent.</translation>
    </message>
    <message>
        <source>查看场次(&amp;O)</source>
        <translation>&amp;Open session</translation>
    </message>
    <message>
        <source>新建场次计划(&amp;N)…</source>
        <translation>&amp;New session plan…</translation>
    </message>
    <message>
        <source>导出考点包(&amp;K)…</source>
        <translation>Write site &amp;kit…</translation>
    </message>
    <message>
        <source>导入同步包(&amp;I)…</source>
        <translation>&amp;Import sync bundles…</translation>
    </message>
    <message>
        <source>设备(&amp;D)…</source>
        <translation>&amp;Devices…</translation>
    </message>
    <message>
        <source>备案信息(&amp;B)…</source>
        <translation>Fi&amp;ling…</translation>
    </message>
    <message>
        <source>查找姓名、证件号码、准考证号、记录或案件…</source>
        <translation>Search names, ID numbers, tickets, records or cases…</translation>
    </message>
    <message>
        <source>查找(&amp;S)</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <source>统计(&amp;T)</source>
        <translation>S&amp;tatistics</translation>
    </message>
    <message>
        <source>案件(&amp;C)</source>
        <translation>&amp;Cases</translation>
    </message>
    <message>
        <source>事后发现（第八条）(&amp;A)…</source>
        <translation>Found &amp;after (Art. 8)…</translation>
    </message>
    <message>
        <source>评价活动结束后发现并经确认的违纪违规：没有考点记录，在此立案</source>
        <translation>A violation found after the evaluation and confirmed: no site record; open its case here</translation>
    </message>
    <message>
        <source>退出登录(&amp;Q)</source>
        <translation>Sign &amp;out</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>admin</translation>
    </message>
    <message>
        <source>审阅人</source>
        <translation>reviewer</translation>
    </message>
    <message>
        <source>评价机构：%1&#x3000;·&#x3000;已登录：%2（%3）</source>
        <translation>Institution: %1 · Signed in: %2 (%3)</translation>
    </message>
    <message>
        <source>已清理</source>
        <translation>Purged</translation>
    </message>
    <message>
        <source>待评价机构认定</source>
        <translation>Pending the institution&apos;s determination</translation>
    </message>
</context>
<context>
    <name>InstitutionLogin</name>
    <message>
        <source>账户(&amp;A)：</source>
        <translation>&amp;Account:</translation>
    </message>
    <message>
        <source>密码(&amp;P)：</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>再次输入密码(&amp;R)：</source>
        <translation>&amp;Repeat password:</translation>
    </message>
    <message>
        <source>机构密钥口令(&amp;K)：</source>
        <translation>Institution &amp;key passphrase:</translation>
    </message>
    <message>
        <source>评价机构：创建第一个管理员账户</source>
        <translation>Institution: create the first admin account</translation>
    </message>
    <message>
        <source>本机保存评价机构的身份，尚无账户。第一个账户为管理员，需输入机构密钥口令确认；之后的账户只能由管理员添加。密码至少 10 个字符。</source>
        <translation>This computer holds the institution&apos;s identity and has no accounts yet. The first account is an admin, confirmed with the institution&apos;s key passphrase; later accounts are added by an admin only. Passwords have at least 10 characters.</translation>
    </message>
    <message>
        <source>创建并登录(&amp;C)</source>
        <translation>&amp;Create and sign in</translation>
    </message>
    <message>
        <source>评价机构登录</source>
        <translation>Institution sign-in</translation>
    </message>
    <message>
        <source>请以本人账户登录。连续 5 次密码错误，账户将锁定 15 分钟。</source>
        <translation>Sign in with your own account. After 5 wrong passwords in a row the account is locked for 15 minutes.</translation>
    </message>
    <message>
        <source>登录(&amp;L)</source>
        <translation>Sign &amp;in</translation>
    </message>
    <message>
        <source>请输入账户和密码。</source>
        <translation>Enter your account and password.</translation>
    </message>
    <message>
        <source>账户已锁定（密码错误次数过多），请于 %1 后再试。</source>
        <translation>The account is locked (too many wrong passwords); try again after %1.</translation>
    </message>
    <message>
        <source>账户或密码不正确，请重新输入。</source>
        <translation>Wrong account or password; try again.</translation>
    </message>
    <message>
        <source>密码至少 10 个字符。</source>
        <translation>Passwords have at least 10 characters.</translation>
    </message>
    <message>
        <source>两次输入的密码不一致。</source>
        <translation>The two passwords differ.</translation>
    </message>
    <message>
        <source>机构密钥口令不正确，请重新输入。</source>
        <translation>The institution passphrase is wrong; enter it again.</translation>
    </message>
    <message>
        <source>无法创建账户：%1</source>
        <translation>The account could not be created: %1</translation>
    </message>
</context>
<context>
    <name>InstitutionSetupDialog</name>
    <message>
        <source>设置为评价机构的计算机</source>
        <translation>Set up as the institution&apos;s computer</translation>
    </message>
    <message>
        <source>将在本机创建评价机构的身份：签名和加密密钥、根证书，以机构密钥口令加密保存。考点包、同步包的验证和设备认证都依靠它。请牢记口令，并按说明做好密钥恢复备份。</source>
        <translation>The institution&apos;s identity is created on this computer: signing and encryption keys and a root certificate, kept encrypted under the institution&apos;s key passphrase. Site kits, bundle checks and device certificates all rest on it. Remember the passphrase, and make the key recovery backup as described.</translation>
    </message>
    <message>
        <source>如：广东省职业技能鉴定指导中心</source>
        <translation>e.g. Guangdong Vocational Skills Testing Centre</translation>
    </message>
    <message>
        <source>机构名称(&amp;N)：</source>
        <translation>Institution &amp;name:</translation>
    </message>
    <message>
        <source>机构密钥口令(&amp;K)：</source>
        <translation>Institution &amp;key passphrase:</translation>
    </message>
    <message>
        <source>再次输入口令(&amp;R)：</source>
        <translation>&amp;Repeat passphrase:</translation>
    </message>
    <message>
        <source>创建机构身份(&amp;C)</source>
        <translation>&amp;Create the identity</translation>
    </message>
    <message>
        <source>请填写机构名称。</source>
        <translation>Enter the institution&apos;s name.</translation>
    </message>
    <message>
        <source>口令至少 8 个字符。</source>
        <translation>The passphrase has at least 8 characters.</translation>
    </message>
    <message>
        <source>两次输入的口令不一致。</source>
        <translation>The two passphrases differ.</translation>
    </message>
    <message>
        <source>未能创建机构身份：%1</source>
        <translation>The institution&apos;s identity was not created: %1</translation>
    </message>
</context>
<context>
    <name>KeyPassphraseDialog</name>
    <message>
        <source>本机密钥口令</source>
        <translation>This laptop&apos;s key passphrase</translation>
    </message>
    <message>
        <source>本机的签章密钥以口令加密保存。请考场负责人设置密钥口令（至少 {n} 个字符），每次启动时输入；口令不是个人 PIN，请另行妥善保管。</source>
        <translation>This laptop&apos;s sealing keys are kept encrypted under a passphrase. The site head chooses the key passphrase (at least {n} characters) and enters it at each start; it is not a personal PIN: keep it safe separately.</translation>
    </message>
    <message>
        <source>请考场负责人输入本机密钥口令以打开签章密钥。</source>
        <translation>Site head: enter this laptop&apos;s key passphrase to open its sealing keys.</translation>
    </message>
    <message>
        <source>密钥口令</source>
        <translation>Key passphrase</translation>
    </message>
    <message>
        <source>再次输入</source>
        <translation>Again</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>口令至少 {n} 个字符</source>
        <translation>The passphrase needs at least {n} characters</translation>
    </message>
    <message>
        <source>两次输入的口令不一致</source>
        <translation>The two passphrases differ</translation>
    </message>
    <message>
        <source>口令不正确，请重试</source>
        <translation>Wrong passphrase; try again</translation>
    </message>
</context>
<context>
    <name>KitExportDialog</name>
    <message>
        <source>保存考点包</source>
        <translation>Save the site kit</translation>
    </message>
    <message>
        <source>导出考点包</source>
        <translation>Write site kit</translation>
    </message>
    <message>
        <source>考点包含本场次计划、名单（含监考人员 PIN 的哈希值，不含 PIN）和考点证书，由评价机构签名，并以考点口令加密。请将考点口令另行告知考场负责人，不要与考点包一同发送。</source>
        <translation>The site kit holds this session&apos;s plan, its rosters (with the hashes of the proctors&apos; PINs, never the PINs) and a site certificate, signed by the institution and encrypted under a site passphrase. Tell the site head the site passphrase separately; never send it with the kit.</translation>
    </message>
    <message>
        <source>场次：</source>
        <translation>Session:</translation>
    </message>
    <message>
        <source>机构密钥口令(&amp;K)：</source>
        <translation>Institution &amp;key passphrase:</translation>
    </message>
    <message>
        <source>考点口令(&amp;S)：</source>
        <translation>&amp;Site passphrase:</translation>
    </message>
    <message>
        <source>再次输入考点口令(&amp;R)：</source>
        <translation>&amp;Repeat site passphrase:</translation>
    </message>
    <message>
        <source>导出(&amp;E)…</source>
        <translation>&amp;Write…</translation>
    </message>
    <message>
        <source>考点口令至少 8 个字符。</source>
        <translation>The site passphrase has at least 8 characters.</translation>
    </message>
    <message>
        <source>两次输入的考点口令不一致。</source>
        <translation>The two site passphrases differ.</translation>
    </message>
    <message>
        <source>机构密钥口令不正确，请重新输入。</source>
        <translation>The institution passphrase is wrong; enter it again.</translation>
    </message>
    <message>
        <source>未导出考点包：场次超出备案范围，未确认继续。</source>
        <translation>The site kit was not written: the session is outside the filing and going ahead was not confirmed.</translation>
    </message>
    <message>
        <source>未能导出考点包：%1</source>
        <translation>The site kit was not written: %1</translation>
    </message>
    <message>
        <source>已导出考点包：%1
SHA-256：%2
备案码：%3
请将考点口令另行告知考场负责人。</source>
        <translation>Site kit written: %1
SHA-256: %2
Filing code: %3
Tell the site head the site passphrase separately.</translation>
    </message>
</context>
<context>
    <name>KitImport</name>
    <message>
        <source>考点包已损坏或被改动，不能导入。</source>
        <translation>The kit is damaged or was altered; it cannot be imported.</translation>
    </message>
    <message>
        <source>考点包不是其所称评价机构签发的，不能导入。</source>
        <translation>The kit was not issued by the institution it names; it cannot be imported.</translation>
    </message>
    <message>
        <source>考点包来自另一评价机构，本机已属于其他评价机构。</source>
        <translation>The kit comes from another institution; this computer already belongs to a different one.</translation>
    </message>
    <message>
        <source>考点包不是预期的评价机构签发的，不能导入。</source>
        <translation>The kit was not issued by the expected institution; it cannot be imported.</translation>
    </message>
    <message>
        <source>考点包口令不正确（或考点证书已损坏），请重新输入。</source>
        <translation>The kit passphrase is wrong (or the site certificate is damaged); please enter it again.</translation>
    </message>
    <message>
        <source>请输入考点包口令后再导入。</source>
        <translation>Enter the kit passphrase, then import the kit.</translation>
    </message>
    <message>
        <source>所选文件是同步包，不是考点包：同步包由评价机构导入。</source>
        <translation>The chosen file is a sync bundle, not a site kit: sync bundles are imported by the institution.</translation>
    </message>
    <message>
        <source>所选文件不是考点包。</source>
        <translation>The chosen file is not a site kit.</translation>
    </message>
    <message>
        <source>本机已清除该场次的个人信息，不能再导入其考点包。</source>
        <translation>This laptop purged the session&apos;s personal data; its site kit cannot be imported again.</translation>
    </message>
    <message>
        <source>考点包与本机已有的同一场次不一致，不能导入。</source>
        <translation>The kit disagrees with the same session already on this computer; it cannot be imported.</translation>
    </message>
    <message>
        <source>考点包所用规则与本机的不同，不能导入。</source>
        <translation>The kit uses other rules than this computer has; it cannot be imported.</translation>
    </message>
    <message>
        <source>考点包中的考点证书无效，不能导入。</source>
        <translation>The site certificate in the kit is not valid; the kit cannot be imported.</translation>
    </message>
    <message>
        <source>无法打开所选文件（可能已被移走或改名）。</source>
        <translation>The chosen file cannot be opened (it may have been moved or renamed).</translation>
    </message>
    <message>
        <source>无法读取所选文件。</source>
        <translation>The chosen file cannot be read.</translation>
    </message>
    <message>
        <source>考点包内容不完整或格式不对，不能导入。</source>
        <translation>The kit is incomplete or not in the right format; it cannot be imported.</translation>
    </message>
    <message>
        <source>指纹 %1</source>
        <translation>fingerprint %1</translation>
    </message>
    <message>
        <source>考点包的签发机构：%1；本机所属评价机构：%2</source>
        <translation>Kit issued by: %1; this computer belongs to: %2</translation>
    </message>
    <message>
        <source>考点包签发机构的指纹：%1；应为：%2</source>
        <translation>Fingerprint of the kit&apos;s issuer: %1; expected: %2</translation>
    </message>
    <message>
        <source>考点包使用规则 %1 的 %2 版，本机为 %3 版：请先更新本软件再导入。</source>
        <translation>The kit uses version %2 of the rules %1; this computer has version %3: update the app, then import the kit.</translation>
    </message>
    <message>
        <source>选择考点包</source>
        <translation>Choose a site kit</translation>
    </message>
    <message>
        <source>考点包 (*.kit *.pdkit);;所有文件 (*)</source>
        <translation>Site kits (*.kit *.pdkit);;All files (*)</translation>
    </message>
</context>
<context>
    <name>KitImportDialog</name>
    <message>
        <source>选择(&amp;B)…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>从考点包创建场次</source>
        <translation>Create a sitting from a site kit</translation>
    </message>
    <message>
        <source>选择评价机构发来的考点包，输入另行收到的考点包口令。导入后本机即可记录该场次，并以考点证书签名。</source>
        <translation>Choose the site kit the institution sent and enter the kit passphrase you received separately. Once imported, this computer can record the sitting and sign with the site certificate.</translation>
    </message>
    <message>
        <source>考点包文件(&amp;F)：</source>
        <translation>Kit &amp;file:</translation>
    </message>
    <message>
        <source>考点包口令(&amp;P)：</source>
        <translation>Kit &amp;passphrase:</translation>
    </message>
    <message>
        <source>导入并打开(&amp;I)</source>
        <translation>&amp;Import and open</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>正在核验并导入考点包…</source>
        <translation>Verifying and importing the kit…</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>简体中文</source>
        <comment>the name of the interface language</comment>
        <translation>English</translation>
    </message>
    <message>
        <source>、</source>
        <comment>separator between short list items</comment>
        <translation>, </translation>
    </message>
    <message>
        <source>；</source>
        <comment>separator between phrases</comment>
        <translation>; </translation>
    </message>
    <message>
        <source>%1：%2</source>
        <comment>a label and its value</comment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1（%2）</source>
        <comment>a text and a note in brackets</comment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>职业技能等级认定</source>
        <translation>Vocational skill level certification</translation>
    </message>
    <message>
        <source>职业资格评价</source>
        <translation>Vocational qualification evaluation</translation>
    </message>
    <message>
        <source>专项职业能力考核</source>
        <translation>Special vocational ability assessment</translation>
    </message>
    <message>
        <source>五级/初级工</source>
        <translation>Level 5 / Entry-level worker</translation>
    </message>
    <message>
        <source>四级/中级工</source>
        <translation>Level 4 / Intermediate worker</translation>
    </message>
    <message>
        <source>三级/高级工</source>
        <translation>Level 3 / Senior worker</translation>
    </message>
    <message>
        <source>二级/技师</source>
        <translation>Level 2 / Technician</translation>
    </message>
    <message>
        <source>一级/高级技师</source>
        <translation>Level 1 / Senior technician</translation>
    </message>
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
    <name>LockScreen</name>
    <message>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <source>首次使用：设置本机</source>
        <translation>First use: set up this computer</translation>
    </message>
    <message>
        <source>本机代码印在每条记录编号前（如 A-007），同一场次的每台电脑代码须不同。设备名称便于辨认是哪台电脑。</source>
        <translation>The device code is printed before every record number (e.g. A-007); every computer in a sitting needs its own code. The device name tells people which computer this is.</translation>
    </message>
    <message>
        <source>本机代码(&amp;C)：</source>
        <translation>Device &amp;code:</translation>
    </message>
    <message>
        <source>设备名称(&amp;N)：</source>
        <translation>Device &amp;name:</translation>
    </message>
    <message>
        <source>如：第1考场笔记本</source>
        <translation>e.g. Room 1 laptop</translation>
    </message>
    <message>
        <source>保存并继续(&amp;S)</source>
        <translation>&amp;Save and continue</translation>
    </message>
    <message>
        <source>本机是评价机构的计算机(&amp;I)…</source>
        <translation>This is the &amp;institution&apos;s computer…</translation>
    </message>
    <message>
        <source>在评价机构的计算机上创建机构身份（密钥和根证书），之后以账户登录，不作为考点设备使用</source>
        <translation>Create the institution&apos;s identity (keys and root certificate) on the institution&apos;s computer; it is then used with accounts, not as a site device</translation>
    </message>
    <message>
        <source>工作人员(&amp;W)：</source>
        <translation>Staff &amp;member:</translation>
    </message>
    <message>
        <source>PIN(&amp;P)：</source>
        <translation>&amp;PIN:</translation>
    </message>
    <message>
        <source>换一个场次(&amp;O)</source>
        <translation>&amp;Open another sitting</translation>
    </message>
    <message>
        <source>解锁(&amp;U)</source>
        <translation>&amp;Unlock</translation>
    </message>
    <message>
        <source>考场负责人尚未设置 PIN</source>
        <translation>The site head has not set a PIN yet</translation>
    </message>
    <message>
        <source>没有个人 PIN 的工作人员须由考场负责人输入其 PIN 解锁。请考场负责人本人现在设置 PIN（4–8 位数字）。</source>
        <translation>Staff without a PIN of their own unlock with the site head&apos;s PIN. Site head, please set your PIN now (4–8 digits).</translation>
    </message>
    <message>
        <source>考场负责人：</source>
        <translation>Site head:</translation>
    </message>
    <message>
        <source>新 PIN：</source>
        <translation>New PIN:</translation>
    </message>
    <message>
        <source>再输一次：</source>
        <translation>Repeat:</translation>
    </message>
    <message>
        <source>设置 PIN</source>
        <translation>Set PIN</translation>
    </message>
    <message>
        <source>正在打开数据…</source>
        <extracomment>First-run setup submitted: device code, device name. On the set-up page: this computer is the institution&apos;s (its identity is made next). A staff member unlocked (their ``Staff`` row). The person wants another session (back to the start screen). Ctrl+N: a new record, to open once the PIN has unlocked.</extracomment>
        <translation>Opening the data…</translation>
    </message>
    <message>
        <source>输入本人 PIN 后按回车，即开始记录新的违纪违规情况。</source>
        <translation>Enter your own PIN and press Enter: the new incident record opens.</translation>
    </message>
    <message>
        <source>请先选择工作人员</source>
        <translation>Choose a staff member first</translation>
    </message>
    <message>
        <source>请输入 PIN</source>
        <translation>Enter the PIN</translation>
    </message>
    <message>
        <source>正在核对…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>PIN 连续错误 5 次，请 30 秒后再试</source>
        <translation>Wrong PIN 5 times in a row: try again in 30 seconds</translation>
    </message>
    <message>
        <source>PIN 不正确，请重新输入</source>
        <translation>Wrong PIN: please enter it again</translation>
    </message>
    <message>
        <source>此人没有个人 PIN，须输入考场负责人的 PIN；所输 PIN 不正确</source>
        <translation>This person has no PIN of their own, so the site head&apos;s PIN is needed; the PIN entered is wrong</translation>
    </message>
    <message>
        <source>此人没有个人 PIN，且考场负责人尚未设置 PIN，请先设置</source>
        <translation>This person has no PIN of their own and the site head has not set a PIN yet: set one first</translation>
    </message>
    <message>
        <source>请选择本场次的工作人员</source>
        <translation>Choose a staff member of this sitting</translation>
    </message>
    <message>
        <source>PIN 须为 4–8 位数字</source>
        <translation>The PIN must be 4–8 digits</translation>
    </message>
    <message>
        <source>此人已设置 PIN</source>
        <translation>This person has already set a PIN</translation>
    </message>
    <message>
        <source>无法解锁</source>
        <translation>Cannot unlock</translation>
    </message>
    <message>
        <source>评价机构确认收到本场次的记录后，本机已清除其个人信息：本场次不能再在本机记录。</source>
        <translation>This laptop purged the session&apos;s personal data after the institution confirmed it holds the records: nothing more can be recorded for this session here.</translation>
    </message>
    <message>
        <source>本场次还没有工作人员名单：请在开始页面导入工作人员名单</source>
        <translation>This sitting has no staff list yet: import one on the start page</translation>
    </message>
    <message>
        <source>请输入本人的 PIN。</source>
        <translation>Enter your own PIN.</translation>
    </message>
    <message>
        <source>此人没有个人 PIN：请考场负责人在此输入考场负责人的 PIN，代为解锁。签名前须由考场负责人为其设置本人 PIN。</source>
        <translation>This person has no PIN of their own: the site head enters the site head&apos;s PIN here to unlock for them. Before they can sign, the site head gives them a PIN of their own.</translation>
    </message>
    <message>
        <source>两次输入的 PIN 不一致</source>
        <translation>The two PINs do not match</translation>
    </message>
    <message>
        <source>考场负责人的 PIN 已设置</source>
        <translation>The site head&apos;s PIN is set</translation>
    </message>
    <message>
        <source>请填写设备名称</source>
        <translation>Enter a device name</translation>
    </message>
    <message>
        <source>请填写本机代码（1–3 个字母或数字）</source>
        <translation>Enter the device code (1–3 letters or digits)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Proctor Desk 考场违纪违规记录</source>
        <extracomment>The records are open (``workspace`` is set) and the first page chosen.</extracomment>
        <translation>Proctor Desk: exam site violation records</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>新建记录(&amp;N)</source>
        <translation>&amp;New record</translation>
    </message>
    <message>
        <source>誊录纸质记录(&amp;P)…</source>
        <translation>Transcribe a &amp;paper record…</translation>
    </message>
    <message>
        <source>工作人员 PIN(&amp;I)…</source>
        <translation>Staff P&amp;INs…</translation>
    </message>
    <message>
        <source>锁定(&amp;L)</source>
        <translation>&amp;Lock</translation>
    </message>
    <message>
        <source>切换场次(&amp;W)</source>
        <translation>S&amp;witch sitting</translation>
    </message>
    <message>
        <source>设置(&amp;S)…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>退出(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>报告(&amp;R)</source>
        <translation>&amp;Reports</translation>
    </message>
    <message>
        <source>场次汇总(&amp;S)…</source>
        <translation>Sitting &amp;summary…</translation>
    </message>
    <message>
        <source>纸质备用表(&amp;B)…</source>
        <translation>&amp;Blank paper form…</translation>
    </message>
    <message>
        <source>同步(&amp;Y)</source>
        <translation>S&amp;ync</translation>
    </message>
    <message>
        <source>导出同步包(&amp;E)…</source>
        <translation>&amp;Export sync bundle…</translation>
    </message>
    <message>
        <source>导入同步包(&amp;I)…</source>
        <translation>&amp;Import sync bundles…</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>自检(&amp;T)…</source>
        <translation>Self-&amp;test…</translation>
    </message>
    <message>
        <source>关于(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <source>Proctor Desk 考场违纪违规记录
版本 %1

依据《技能人才评价违纪违规行为处理工作指引（试行）》（人社职司便函〔2021〕57号）记录考场违纪违规行为。所示处理为依据条款可能适用的处理，以评价机构按程序认定为准（工作人员的行为由评价机构或其监管部门认定，评价机构的行为由其监管部门认定）。</source>
        <translation>Proctor Desk — exam-site incident records
Version %1

Records violations at exam sites under the Guidelines for Handling Violations in Skilled-Talent Evaluation (Trial) (人社职司便函〔2021〕57号). The handling shown is what the clause may call for; the institution determines it by its procedure (for staff, the institution or its regulator; for an institution, its regulator).</translation>
    </message>
    <message>
        <source>关于 Proctor Desk</source>
        <translation>About Proctor Desk</translation>
    </message>
    <message>
        <source>日志文件夹：</source>
        <translation>Log folder:</translation>
    </message>
    <message>
        <source>版本：</source>
        <translation>Versions:</translation>
    </message>
    <message>
        <source>本机代码须为 1–3 个字母（不含 I、O、Q）或数字</source>
        <translation>The device code must be 1–3 letters (not I, O or Q) or digits</translation>
    </message>
    <message>
        <source>演示场次（虚构数据）：工作人员 PIN 均为 %1</source>
        <translation>Demo session (made-up data): every staff member&apos;s PIN is %1</translation>
    </message>
    <message>
        <source>记录窗口尚不可用</source>
        <translation>The record window is not available yet</translation>
    </message>
</context>
<context>
    <name>OutcomePanel</name>
    <message>
        <source>取消当次该科目评价成绩</source>
        <translation>Score of this subject in this sitting cancelled</translation>
    </message>
    <message>
        <source>取消当次全部科目评价成绩</source>
        <translation>Scores of all subjects in this sitting cancelled</translation>
    </message>
    <message>
        <source>%1：经提醒已改正，按所填事实不构成违纪违规；本记录作为提醒记录保存。</source>
        <translation>%1: reminded and corrected; on the facts given, not a violation. This record is kept as a note of the reminder.</translation>
    </message>
    <message>
        <source>按条款处理</source>
        <translation>Handled under the clause</translation>
    </message>
    <message>
        <source>不得参加评价至 %1（含）</source>
        <translation>Barred from evaluations until %1 (inclusive)</translation>
    </message>
    <message>
        <source>不得参加评价：%1</source>
        <translation>Barred from evaluations: %1</translation>
    </message>
    <message>
        <source>尚不能认定，见下方待查明事实</source>
        <translation>Cannot be determined yet: see the facts to establish below</translation>
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
        <source>尚不能认定：待查明事实</source>
        <translation>Cannot be determined yet: facts to establish</translation>
    </message>
    <message>
        <source>可能构成违纪违规（待评价机构、评价机构监管部门处理）</source>
        <translation>May be a violation (pending handling by the institution or its regulator)</translation>
    </message>
    <message>
        <source>可能构成违纪违规（待评价机构认定）</source>
        <translation>May be a violation (pending the institution&apos;s determination)</translation>
    </message>
    <message>
        <source>按所填事实不构成违纪违规</source>
        <translation>On the facts given, not a violation</translation>
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
        <source>不得参加评价</source>
        <translation>Barred from evaluations</translation>
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
        <source>宣布评价成绩无效，并对已发放证书、已上网证书数据及时作出相应处理</source>
        <translation>Results declared invalid; the certificates issued and the certificate data online dealt with accordingly</translation>
    </message>
    <message>
        <source>待查明事实</source>
        <translation>Facts to establish</translation>
    </message>
    <message>
        <source>依据条款可能适用的处理（待评价机构、评价机构监管部门处理）</source>
        <translation>Handling the clause may call for (pending handling by the institution or its regulator)</translation>
    </message>
    <message>
        <source>可能构成违纪违规（待评价机构监管部门认定）</source>
        <translation>May be a violation (pending the regulator&apos;s determination)</translation>
    </message>
    <message>
        <source>依据条款可能适用的处理（待评价机构监管部门认定）</source>
        <translation>Handling the clause may call for (subject to the regulator&apos;s determination)</translation>
    </message>
    <message>
        <source>依据条款可能适用的处理（待评价机构认定）</source>
        <translation>Handling the clause may call for (subject to the institution&apos;s determination)</translation>
    </message>
    <message>
        <source>不少于 %1 年（情节轻重待认定；期间起算以处理决定为准）</source>
        <translation>no less than %1 years (severity still to be established; the period runs as the decision sets it)</translation>
    </message>
    <message>
        <source>%1 年（期间起算以处理决定为准）</source>
        <translation>%1 years (the period runs as the decision sets it)</translation>
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
    <name>PersonPicker</name>
    <message>
        <source>%1 · %2 %3号 · 准考证 %4 · 证件尾号 %5</source>
        <translation>%1 · %2 seat %3 · ticket %4 · ID ending %5</translation>
    </message>
    <message>
        <source>%1 · %2 · 工号 %3</source>
        <translation>%1 · %2 · staff no. %3</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>请填写原因。</source>
        <translation>Enter the reason.</translation>
    </message>
    <message>
        <source>本场次没有可批准的人员。</source>
        <translation>Nobody in this sitting can approve this.</translation>
    </message>
    <message>
        <source>%1 尚未设置 PIN，不能批准：请先为其设置 PIN。</source>
        <translation>%1 has no PIN yet and cannot approve: set one up first.</translation>
    </message>
</context>
<context>
    <name>RegisterFlag</name>
    <message>
        <source>现场新增，无法离线核查，评价机构导入时核查</source>
        <translation>Added on site: cannot be checked offline; the institution checks at import</translation>
    </message>
    <message>
        <source>⛔ 禁考人员：依第 %1 条（项）处理，禁考至 %2（含）</source>
        <translation>⛔ Barred from evaluations under clause %1, until %2 (inclusive)</translation>
    </message>
</context>
<context>
    <name>ReportActions</name>
    <message>
        <source>正在生成并签名报告…</source>
        <translation>Generating and signing the report…</translation>
    </message>
    <message>
        <source>报告</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>考场违纪违规行为记录（纸质备用表）%1</source>
        <translation>Exam-room violation record (blank paper form) %1</translation>
    </message>
    <message>
        <source>考场违纪违规情况汇总 %1</source>
        <translation>Exam-room violations summary %1</translation>
    </message>
    <message>
        <source>评价机构留存联</source>
        <translation>institution&apos;s copy</translation>
    </message>
    <message>
        <source>当事人联</source>
        <translation>person&apos;s copy</translation>
    </message>
    <message>
        <source>考场违纪违规行为记录 %1 第 %2 版 · %3</source>
        <translation>Exam-room violation record %1, version %2 · %3</translation>
    </message>
</context>
<context>
    <name>ReportPreviewDialog</name>
    <message>
        <source>报告预览</source>
        <translation>Report preview</translation>
    </message>
    <message>
        <source>上一页</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <source>下一页</source>
        <translation>Next page</translation>
    </message>
    <message>
        <source>适合宽度</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <source>放大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <source>缩小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>另存为…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>第 %1 / %2 页</source>
        <translation>Page %1 of %2</translation>
    </message>
    <message numerus="yes">
        <source>已发送 %n 页到打印机。</source>
        <translation>
            <numerusform>Sent %n page to the printer.</numerusform>
            <numerusform>Sent %n pages to the printer.</numerusform>
        </translation>
    </message>
    <message>
        <source>无法保存到 %1：%2</source>
        <translation>Could not save to %1: %2</translation>
    </message>
    <message>
        <source>已保存到 %1</source>
        <translation>Saved to %1</translation>
    </message>
    <message>
        <source>打印报告</source>
        <translation>Print the report</translation>
    </message>
    <message>
        <source>另存为</source>
        <translation>Save as</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>打印机无法开始打印，请检查打印机后重试。</source>
        <translation>The printer could not start printing; check the printer and try again.</translation>
    </message>
    <message>
        <source>无法打开该 PDF 文件（文件损坏或不是 PDF）。</source>
        <translation>Cannot open this PDF file (it is damaged or not a PDF).</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <source>领回人</source>
        <translation>Collected by</translation>
    </message>
    <message>
        <source>收据编号：</source>
        <translation>Receipt no.:</translation>
    </message>
    <message>
        <source>领回人(&amp;R)：</source>
        <translation>&amp;Recipient:</translation>
    </message>
    <message>
        <source>经办工作人员(&amp;S)：</source>
        <translation>Handled by &amp;staff member:</translation>
    </message>
    <message>
        <source>经办人 PIN(&amp;N)：</source>
        <translation>Handler&apos;s PI&amp;N:</translation>
    </message>
    <message>
        <source>记录归还：%1</source>
        <translation>Record the return: %1</translation>
    </message>
    <message>
        <source>请选择经办工作人员。</source>
        <translation>Choose the staff member handling it.</translation>
    </message>
    <message>
        <source>%1 尚未设置 PIN，不能经办：请考场负责人先为其设置 PIN。</source>
        <translation>%1 has no PIN yet and cannot record this: the site head sets one up first.</translation>
    </message>
</context>
<context>
    <name>RosterImport</name>
    <message>
        <source>导入名单</source>
        <translation>Import lists</translation>
    </message>
    <message>
        <source>名单全部无误才导入；有任何问题则一条也不导入，并在下表列出每处问题。</source>
        <translation>Lists are imported only when every row is correct; if there is any problem nothing is imported and each problem is listed below.</translation>
    </message>
    <message>
        <source>考生名单：</source>
        <translation>Candidate list:</translation>
    </message>
    <message>
        <source>.xlsx 或 .csv</source>
        <translation>.xlsx or .csv</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>工作人员名单：</source>
        <translation>Staff list:</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>导入(&amp;I)</source>
        <translation>&amp;Import</translation>
    </message>
</context>
<context>
    <name>RosterImportPage</name>
    <message>
        <source>选择考生名单</source>
        <translation>Choose the candidate list</translation>
    </message>
    <message>
        <source>选择工作人员名单</source>
        <translation>Choose the staff list</translation>
    </message>
    <message>
        <source>请选择至少一个名单文件</source>
        <translation>Choose at least one list file</translation>
    </message>
    <message>
        <source>找不到文件：%1</source>
        <translation>File not found: %1</translation>
    </message>
    <message>
        <source>已导入 %1、%2</source>
        <translation>Imported %1 and %2</translation>
    </message>
    <message numerus="yes">
        <source>%n 名考生</source>
        <translation>
            <numerusform>%n candidate</numerusform>
            <numerusform>%n candidates</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n 名工作人员</source>
        <translation>
            <numerusform>%n staff member</numerusform>
            <numerusform>%n staff members</numerusform>
        </translation>
    </message>
    <message>
        <source>名单有 %1 处问题，未导入任何人员。请修改名单后重新导入。</source>
        <translation>Problems found in the lists: %1. Nobody was imported; correct the lists and import them again.</translation>
    </message>
</context>
<context>
    <name>RosterModel</name>
    <message>
        <source>现场新增，无法离线核查，评价机构导入时核查</source>
        <translation>Added on site: cannot be checked offline; the institution checks at import</translation>
    </message>
    <message>
        <source>未核查</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <source>考场</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>座位</source>
        <translation>Seat</translation>
    </message>
    <message>
        <source>准考证号</source>
        <translation>Admission ticket no.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>禁考核查</source>
        <translation>Barred check</translation>
    </message>
    <message>
        <source>禁考</source>
        <translation>Barred</translation>
    </message>
    <message>
        <source>禁考：依第 %1 条（项）处理，禁考至 %2（含）。请按考务规定处理并报考场负责人。</source>
        <translation>Barred under clause %1 until %2 (inclusive). Handle as the exam rules require and tell the site head.</translation>
    </message>
</context>
<context>
    <name>RulebookBrowser</name>
    <message>
        <source>规则无法加载</source>
        <extracomment>The clause shown changed (its id).</extracomment>
        <translation>The rules could not be loaded</translation>
    </message>
    <message numerus="yes">
        <source>共 %n 条</source>
        <translation>
            <numerusform>%n clause</numerusform>
            <numerusform>%n clauses</numerusform>
        </translation>
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
        <source>搜索行为或条款号（Ctrl+F）</source>
        <translation>Search conduct or clause no. (Ctrl+F)</translation>
    </message>
    <message>
        <source>条款</source>
        <translation>Clause</translation>
    </message>
</context>
<context>
    <name>SearchPage</name>
    <message>
        <source>查找（所有已导入的场次）</source>
        <translation>Search (every imported sitting)</translation>
    </message>
    <message>
        <source>姓名（可只输前几个字）、证件号码、准考证号、工号、记录编号或案件编号</source>
        <translation>Name (its first characters will do), ID number, admission ticket, staff number, record number or case id</translation>
    </message>
    <message>
        <source>查找(&amp;F)</source>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <source>返回机构主页(&amp;B)</source>
        <translation>&amp;Back to the institution&apos;s home</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Found</translation>
    </message>
    <message>
        <source>场次</source>
        <translation>Sitting</translation>
    </message>
    <message>
        <source>人员</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>违纪违规记录</source>
        <translation>Violation record</translation>
    </message>
    <message>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>请输入要查找的内容。</source>
        <translation>Type what to search for.</translation>
    </message>
    <message>
        <source>找到 %1 项。双击打开。</source>
        <translation>%1 found. Double-click to open.</translation>
    </message>
    <message>
        <source>没有找到。</source>
        <translation>Nothing found.</translation>
    </message>
</context>
<context>
    <name>SeizedTable</name>
    <message>
        <source>已归还 %1</source>
        <translation>Returned %1</translation>
    </message>
</context>
<context>
    <name>SelfTest</name>
    <message>
        <source>程序资源：规则库、中文字体和界面翻译</source>
        <translation>Shipped files: rulebook, Chinese font and interface translation</translation>
    </message>
    <message>
        <source>违纪认定：规则引擎认定一条违纪行为</source>
        <translation>Classification: the rule engine classifies an incident</translation>
    </message>
    <message>
        <source>机构身份：创建密钥、根证书和考点包</source>
        <translation>Institution: keys, root certificate and site kit created</translation>
    </message>
    <message>
        <source>导入考点包：核验签名，为本机签发证书</source>
        <translation>Site kit: signature checked, this device certified</translation>
    </message>
    <message>
        <source>记录与封存：两名工作人员签名、考场负责人确认并封存</source>
        <translation>Record and seal: signed by two staff, confirmed by the site head, sealed</translation>
    </message>
    <message>
        <source>签名报告：生成 PDF 并核验其签名</source>
        <translation>Signed report: the PDF written and its signature verified</translation>
    </message>
    <message>
        <source>导出同步包：加密给评价机构</source>
        <translation>Bundle export: encrypted to the institution</translation>
    </message>
    <message>
        <source>核验同步包：评价机构用其密钥核验</source>
        <translation>Bundle check: verified with the institution&apos;s key</translation>
    </message>
    <message>
        <source>导入同步包：评价机构导入并核验记录</source>
        <translation>Bundle import: the institution imports and verifies the records</translation>
    </message>
    <message>
        <source>界面：主窗口、中文字体和英文翻译</source>
        <translation>Interface: main window, Chinese font and English translation</translation>
    </message>
    <message>
        <source>自检</source>
        <translation>Self-test</translation>
    </message>
    <message>
        <source>在临时数据文件夹中检查本机能否完成考场上的全部工作：规则库与字体、记录与封存、签名报告、同步包的导出、核验与导入。本机的记录不受影响。</source>
        <translation>Checks, in a temporary data folder, that this computer can do all the work of an exam day: rulebook and fonts, recording and sealing, signed reports, exporting, checking and importing bundles. The records on this computer are not touched.</translation>
    </message>
    <message>
        <source>复制结果(&amp;C)</source>
        <translation>&amp;Copy results</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>正在自检（第 %1 项，共 %2 项）…</source>
        <translation>Checking (step %1 of %2)…</translation>
    </message>
    <message>
        <source>自检通过：%1 项全部通过，用时 %2 秒。</source>
        <translation>Self-test passed: all %1 steps passed in %2 s.</translation>
    </message>
    <message>
        <source>%1：未运行（所需的步骤未通过）</source>
        <translation>%1: not run (a step it needs did not pass)</translation>
    </message>
    <message>
        <source>%1：通过</source>
        <translation>%1: passed</translation>
    </message>
    <message>
        <source>自检无法运行：%1</source>
        <translation>The self-test could not run: %1</translation>
    </message>
    <message>
        <source>%1：未通过。%2</source>
        <translation>%1: FAILED. %2</translation>
    </message>
    <message>
        <source>自检未通过：%1</source>
        <translation>Self-test FAILED: %1</translation>
    </message>
</context>
<context>
    <name>SessionForm</name>
    <message>
        <source>新建场次</source>
        <translation>New sitting</translation>
    </message>
    <message>
        <source>机构与场次</source>
        <translation>Institution and sitting</translation>
    </message>
    <message>
        <source>评价机构(&amp;A)：</source>
        <translation>&amp;Institution:</translation>
    </message>
    <message>
        <source>机构类型：</source>
        <translation>Institution type:</translation>
    </message>
    <message>
        <source>备案码(&amp;B)：</source>
        <translation>&amp;Filing code:</translation>
    </message>
    <message>
        <source>评价类型：</source>
        <translation>Evaluation type:</translation>
    </message>
    <message>
        <source>职业(&amp;J)：</source>
        <translation>&amp;Occupation:</translation>
    </message>
    <message>
        <source>工种：</source>
        <translation>Trade:</translation>
    </message>
    <message>
        <source>可不填</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>等级：</source>
        <translation>Level:</translation>
    </message>
    <message>
        <source>考点名称(&amp;K)：</source>
        <translation>Exam &amp;site name:</translation>
    </message>
    <message>
        <source>考点地址：</source>
        <translation>Exam site address:</translation>
    </message>
    <message>
        <source>机构联系方式：</source>
        <translation>Institution contact:</translation>
    </message>
    <message>
        <source>电话或办公地点，印在当事人联上</source>
        <translation>Telephone or office; printed on the person&apos;s copy</translation>
    </message>
    <message>
        <source>规则：</source>
        <translation>Rules:</translation>
    </message>
    <message>
        <source>时区：</source>
        <translation>Time zone:</translation>
    </message>
    <message>
        <source>考试日期：</source>
        <translation>Exam date:</translation>
    </message>
    <message>
        <source>yyyy-MM-dd</source>
        <translation>yyyy-MM-dd</translation>
    </message>
    <message>
        <source>科目与时间</source>
        <translation>Subjects and times</translation>
    </message>
    <message>
        <source>科目</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>结束</source>
        <translation>End</translation>
    </message>
    <message>
        <source>添加科目</source>
        <translation>Add subject</translation>
    </message>
    <message>
        <source>删除科目</source>
        <translation>Remove subject</translation>
    </message>
    <message>
        <source>考场与座位</source>
        <translation>Rooms and seats</translation>
    </message>
    <message>
        <source>考场</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>座位数</source>
        <translation>Seats</translation>
    </message>
    <message>
        <source>考场负责</source>
        <translation>In charge</translation>
    </message>
    <message>
        <source>添加考场</source>
        <translation>Add room</translation>
    </message>
    <message>
        <source>删除考场</source>
        <translation>Remove room</translation>
    </message>
    <message>
        <source>考场负责人</source>
        <translation>Site head</translation>
    </message>
    <message>
        <source>姓名(&amp;H)：</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>工号：</source>
        <translation>Staff no.:</translation>
    </message>
    <message>
        <source>PIN：</source>
        <translation>PIN:</translation>
    </message>
    <message>
        <source>4–8 位数字</source>
        <translation>4–8 digits</translation>
    </message>
    <message>
        <source>名单文件</source>
        <translation>List files</translation>
    </message>
    <message>
        <source>考生名单：</source>
        <translation>Candidate list:</translation>
    </message>
    <message>
        <source>.xlsx 或 .csv</source>
        <translation>.xlsx or .csv</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>工作人员名单：</source>
        <translation>Staff list:</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>创建场次(&amp;R)</source>
        <translation>C&amp;reate sitting</translation>
    </message>
    <message>
        <source>选择考生名单</source>
        <translation>Choose the candidate list</translation>
    </message>
    <message>
        <source>选择工作人员名单</source>
        <translation>Choose the staff list</translation>
    </message>
    <message>
        <source>社会培训评价组织</source>
        <translation>Social training and evaluation organisation</translation>
    </message>
    <message>
        <source>用人单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>第%1考场</source>
        <translation>Room %1</translation>
    </message>
    <message>
        <source>请填写评价机构名称</source>
        <translation>Enter the institution&apos;s name</translation>
    </message>
    <message>
        <source>请填写备案码</source>
        <translation>Enter the filing code</translation>
    </message>
    <message>
        <source>请填写职业</source>
        <translation>Enter the occupation</translation>
    </message>
    <message>
        <source>请填写考点名称</source>
        <translation>Enter the exam site&apos;s name</translation>
    </message>
    <message>
        <source>请填写考点地址</source>
        <translation>Enter the exam site&apos;s address</translation>
    </message>
    <message>
        <source>时区“%1”无法识别，例如 Asia/Shanghai</source>
        <translation>Time zone “%1” not recognised; for example Asia/Shanghai</translation>
    </message>
    <message>
        <source>科目第 %1 行：请填写科目名称及开始、结束时间（如 09:00）</source>
        <translation>Subjects, row %1: enter the subject&apos;s name and its start and end times (e.g. 09:00)</translation>
    </message>
    <message>
        <source>请至少填写一个科目</source>
        <translation>Enter at least one subject</translation>
    </message>
    <message>
        <source>考场第 %1 行：请填写考场名称和座位数</source>
        <translation>Rooms, row %1: enter the room&apos;s name and number of seats</translation>
    </message>
    <message>
        <source>请至少填写一个考场</source>
        <translation>Enter at least one room</translation>
    </message>
    <message>
        <source>请填写考场负责人的姓名和工号</source>
        <translation>Enter the site head&apos;s name and staff number</translation>
    </message>
    <message>
        <source>PIN 须为 4–8 位数字</source>
        <translation>The PIN must be 4–8 digits</translation>
    </message>
    <message>
        <source>找不到文件：%1</source>
        <translation>File not found: %1</translation>
    </message>
    <message>
        <source>未创建场次：超出备案范围，未确认继续。请核对职业（工种）和等级。</source>
        <translation>Session not created: it is outside the filing and going ahead was not confirmed. Check the occupation (work type) and level.</translation>
    </message>
    <message>
        <source>正在检查名单并创建场次…</source>
        <translation>Checking the lists and creating the sitting…</translation>
    </message>
    <message>
        <source>场次已创建</source>
        <translation>Sitting created</translation>
    </message>
    <message>
        <source>名单有 %1 处问题，未创建场次，也未导入任何人员。请修改名单后重试。</source>
        <translation>Problems found in the lists: %1. No sitting was created and nobody was imported; correct the lists and try again.</translation>
    </message>
    <message>
        <source>需要考场负责人：请填写其姓名和工号，或在工作人员名单中列出</source>
        <translation>A site head is needed: enter their name and staff number, or list them in the staff list</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>本机</source>
        <translation>This computer</translation>
    </message>
    <message>
        <source>设备名称(&amp;N)：</source>
        <translation>Device &amp;name:</translation>
    </message>
    <message>
        <source>设备标识：</source>
        <translation>Device ID:</translation>
    </message>
    <message>
        <source>本机代码(&amp;C)：</source>
        <translation>Device &amp;code:</translation>
    </message>
    <message>
        <source>密钥指纹：</source>
        <translation>Key fingerprint:</translation>
    </message>
    <message>
        <source>数据文件夹：</source>
        <translation>Data folder:</translation>
    </message>
    <message>
        <source>使用</source>
        <translation>Use</translation>
    </message>
    <message>
        <source>无操作自动锁定(&amp;I)：</source>
        <translation>Lock when &amp;idle for:</translation>
    </message>
    <message>
        <source>分钟</source>
        <translation>minutes</translation>
    </message>
    <message>
        <source>考试科目进行中自动锁定(&amp;X)：</source>
        <translation>Lock when idle during an e&amp;xam subject:</translation>
    </message>
    <message>
        <source>科目考试时间内监考人员照看考场，锁定时间可更长（不短于上一项）</source>
        <translation>While a subject is being sat the proctors watch the room, so the lock can wait longer (never shorter than the setting above)</translation>
    </message>
    <message>
        <source>界面语言(&amp;L)：</source>
        <translation>Interface &amp;language:</translation>
    </message>
    <message>
        <source>中文界面中也显示处理说明的英文译文(&amp;E)</source>
        <translation>Also show the &amp;English explanation in the Chinese interface</translation>
    </message>
    <message>
        <source>返回(&amp;B)</source>
        <translation>&amp;Back</translation>
    </message>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>界面语言已切换并生效；点击“返回”则恢复原来的语言。</source>
        <extracomment>New settings saved (an ``AppSettings``). A language was chosen (its code); the main window switches and remembers it.</extracomment>
        <translation>The interface language is switched and in use; click Back to return to the previous one.</translation>
    </message>
    <message>
        <source>请填写设备名称</source>
        <translation>Enter a device name</translation>
    </message>
    <message>
        <source>本机代码须为 1–3 个字母（不含 I、O、Q）或数字</source>
        <translation>The device code must be 1–3 letters (not I, O or Q) or digits</translation>
    </message>
    <message>
        <source>设置已保存</source>
        <translation>Settings saved</translation>
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
    <message>
        <source>请先在签名框内签名。</source>
        <translation>Please sign in the box first.</translation>
    </message>
    <message>
        <source>签名过短，像是一个点或误触。请清除后用正常大小完整签写姓名。</source>
        <translation>The signature is too short (a dot or a slip). Please clear it and sign your full name at normal size.</translation>
    </message>
    <message>
        <source>签名太小。请清除后在签名框内用正常大小签写姓名。</source>
        <translation>The signature is too small. Please clear it and sign your name at normal size.</translation>
    </message>
    <message>
        <source>签名只是一条直线。请清除后完整签写姓名。</source>
        <translation>The signature is a single straight line. Please clear it and sign your full name.</translation>
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
<context>
    <name>SigningPanel</name>
    <message>
        <source>签名与确认</source>
        <translation>Signatures and confirmation</translation>
    </message>
    <message>
        <source>签名…</source>
        <translation>Sign…</translation>
    </message>
    <message>
        <source>当事人拒绝签名…</source>
        <translation>Person refuses to sign…</translation>
    </message>
    <message>
        <source>当事人已离场、未能签名：由两名工作人员见证</source>
        <translation>The person had left the site and could not sign: two staff witness it</translation>
    </message>
    <message>
        <source>当事人已离场…</source>
        <translation>Person has left…</translation>
    </message>
    <message>
        <source>违纪违规条款</source>
        <translation>Violated clause</translation>
    </message>
    <message>
        <source>当事人</source>
        <translation>Person concerned</translation>
    </message>
    <message>
        <source>记录人（质量督导员）</source>
        <translation>Recorded by (quality supervisor)</translation>
    </message>
    <message>
        <source>监考人员描述</source>
        <translation>Proctor&apos;s description</translation>
    </message>
    <message>
        <source>暂扣物品的收据编号（每件一个，互不相同）</source>
        <translation>Receipt numbers of the seized items (one for each, all different)</translation>
    </message>
    <message>
        <source>发生时间不在任何科目考试时间内的确认（请在发生时间下方勾选）</source>
        <translation>Confirmation that the time is outside every subject&apos;s exam time (tick it under the time)</translation>
    </message>
    <message>
        <source>需查明的事实（%1）</source>
        <translation>Facts to establish (%1)</translation>
    </message>
    <message>
        <source>请先填写：%1</source>
        <extracomment>The record changed through a signature (refresh what depends on it). The record was confirmed and sealed.</extracomment>
        <translation>Fill in first: %1</translation>
    </message>
    <message>
        <source>工作人员签名：还需 %1 人</source>
        <translation>Staff signatures: %1 more needed</translation>
    </message>
    <message>
        <source>当事人签名确认（或拒签、已离场，由两名工作人员见证）</source>
        <translation>The person&apos;s signature (or, witnessed by two staff, their refusal or that they had left)</translation>
    </message>
    <message>
        <source>考场负责人确认</source>
        <translation>Site head&apos;s confirmation</translation>
    </message>
    <message>
        <source>质量督导员确认</source>
        <translation>Quality supervisor&apos;s confirmation</translation>
    </message>
    <message>
        <source>已作废：%1</source>
        <translation>Voided: %1</translation>
    </message>
    <message>
        <source>已确认并封存</source>
        <translation>Confirmed and sealed</translation>
    </message>
    <message>
        <source>尚未保存</source>
        <translation>Not saved yet</translation>
    </message>
    <message>
        <source>草稿：尚未确认</source>
        <translation>Draft: not confirmed yet</translation>
    </message>
    <message>
        <source>还缺：%1</source>
        <translation>Still missing: %1</translation>
    </message>
    <message>
        <source>当事人签名(&amp;G)…</source>
        <translation>Person si&amp;gns…</translation>
    </message>
    <message>
        <source>考场负责人确认(&amp;G)…</source>
        <translation>Site head si&amp;gns off…</translation>
    </message>
    <message>
        <source>质量督导员确认(&amp;G)…</source>
        <translation>Quality supervisor si&amp;gns off…</translation>
    </message>
    <message>
        <source>工作人员签名(&amp;G)…</source>
        <translation>Staff member si&amp;gns…</translation>
    </message>
    <message>
        <source>当事人已在纸质记录上签字</source>
        <translation>The person signed the paper record</translation>
    </message>
    <message>
        <source>拒签见证（纸质）：%1</source>
        <translation>Refusal witnessed (on paper): %1</translation>
    </message>
    <message>
        <source>离场见证（纸质）：%1</source>
        <translation>Departure witnessed (on paper): %1</translation>
    </message>
    <message>
        <source>依纸质记录誊录（纸质记录表 %1）</source>
        <translation>Transcribed from paper form %1</translation>
    </message>
    <message>
        <source>工作人员纸质签名：%1</source>
        <translation>Staff signed on paper: %1</translation>
    </message>
    <message>
        <source>工作人员签名</source>
        <translation>Staff signature</translation>
    </message>
    <message>
        <source>确认</source>
        <translation>Confirmation</translation>
    </message>
    <message>
        <source>当事人签名</source>
        <translation>Person&apos;s signature</translation>
    </message>
    <message>
        <source>拒签见证</source>
        <translation>Witness to refusal</translation>
    </message>
    <message>
        <source>离场见证</source>
        <translation>Witness to departure</translation>
    </message>
    <message>
        <source>没有可签名的在岗工作人员。</source>
        <translation>No staff on duty can sign.</translation>
    </message>
    <message>
        <source>参评人员</source>
        <translation>Candidate</translation>
    </message>
    <message>
        <source>本场次没有可确认此记录的人员。</source>
        <translation>Nobody in this sitting can confirm this record.</translation>
    </message>
    <message>
        <source>没有可见证的在岗工作人员。</source>
        <translation>No staff on duty can witness.</translation>
    </message>
    <message>
        <source>当事人拒绝签名：见证人 %1/2</source>
        <translation>Person refuses to sign: witness %1 of 2</translation>
    </message>
    <message>
        <source>当事人已离场：见证人 %1/2</source>
        <translation>Person has left: witness %1 of 2</translation>
    </message>
</context>
<context>
    <name>StaffPinDialog</name>
    <message>
        <source>工作人员 PIN</source>
        <translation>Staff PINs</translation>
    </message>
    <message>
        <source>工作人员须以本人 PIN 签名。请考场负责人输入本人 PIN，再由该工作人员输入新 PIN（4–8 位数字）两次。已设置的 PIN 不能在此更改。</source>
        <translation>Staff sign with their own PIN. The site head enters the site head&apos;s PIN, then the staff member enters a new PIN (4–8 digits) twice. A PIN already set cannot be changed here.</translation>
    </message>
    <message>
        <source>设置 PIN(&amp;P)</source>
        <translation>Set &amp;PIN</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>工作人员(&amp;W)：</source>
        <translation>Staff &amp;member:</translation>
    </message>
    <message>
        <source>考场负责人：</source>
        <translation>Site head:</translation>
    </message>
    <message>
        <source>考场负责人 PIN：</source>
        <translation>Site head&apos;s PIN:</translation>
    </message>
    <message>
        <source>本人新 PIN（4–8 位数字）：</source>
        <translation>Their new PIN (4–8 digits):</translation>
    </message>
    <message>
        <source>再次输入新 PIN：</source>
        <translation>New PIN again:</translation>
    </message>
    <message>
        <source>本场次所有工作人员均已设置 PIN。</source>
        <translation>Every staff member of this session has a PIN.</translation>
    </message>
    <message>
        <source>考场负责人尚未设置本人的 PIN：请先在锁定界面设置</source>
        <translation>The site head has no PIN yet: set it on the lock screen first</translation>
    </message>
    <message>
        <source>两次输入的 PIN 不一致</source>
        <translation>The two PINs do not match</translation>
    </message>
    <message>
        <source>%1 的 PIN 已设置</source>
        <translation>%1&apos;s PIN is set</translation>
    </message>
</context>
<context>
    <name>StaffSignDialog</name>
    <message>
        <source>请选择签名人</source>
        <translation>Choose the signer</translation>
    </message>
    <message>
        <source>签名人(&amp;S)：</source>
        <translation>&amp;Signer:</translation>
    </message>
    <message>
        <source>PIN(&amp;N)：</source>
        <translation>PI&amp;N:</translation>
    </message>
    <message>
        <source>由考场负责人为其设置 PIN</source>
        <translation>The site head sets up a PIN for them</translation>
    </message>
    <message>
        <source>设置 PIN(&amp;P)</source>
        <translation>Set &amp;PIN</translation>
    </message>
    <message>
        <source>考场负责人：</source>
        <translation>Site head:</translation>
    </message>
    <message>
        <source>考场负责人 PIN：</source>
        <translation>Site head&apos;s PIN:</translation>
    </message>
    <message>
        <source>本人新 PIN（4–8 位数字）：</source>
        <translation>Their new PIN (4–8 digits):</translation>
    </message>
    <message>
        <source>再次输入新 PIN：</source>
        <translation>New PIN again:</translation>
    </message>
    <message>
        <source>请输入本人 PIN，回车即签名</source>
        <translation>Own PIN; Enter signs</translation>
    </message>
    <message>
        <source>尚未设置 PIN，不能签名</source>
        <translation>No PIN yet: cannot sign</translation>
    </message>
    <message>
        <source>本场次没有可设置 PIN 的考场负责人。</source>
        <translation>No site head in this session can set a PIN.</translation>
    </message>
    <message>
        <source>两次输入的 PIN 不一致</source>
        <translation>The two PINs do not match</translation>
    </message>
    <message>
        <source>%1 的 PIN 已设置</source>
        <translation>%1&apos;s PIN is set</translation>
    </message>
    <message>
        <source>请先选择签名人（与您同场监考的工作人员）。</source>
        <translation>First choose the signer (the colleague on duty with you).</translation>
    </message>
    <message>
        <source>请先选择签名人</source>
        <translation>Choose the signer first</translation>
    </message>
    <message>
        <source>%1 尚未设置 PIN，不能签名：请考场负责人先为其设置 PIN。</source>
        <translation>%1 has no PIN yet and cannot sign: the site head sets one up first.</translation>
    </message>
    <message>
        <source>考场负责人的 PIN 不正确</source>
        <translation>The site head&apos;s PIN is wrong</translation>
    </message>
    <message>
        <source>考场负责人尚未设置本人的 PIN：请先在锁定界面设置</source>
        <translation>The site head has no PIN yet: set it on the lock screen first</translation>
    </message>
    <message>
        <source>PIN 须为 4–8 位数字</source>
        <translation>The PIN must be 4–8 digits</translation>
    </message>
    <message>
        <source>此人已设置 PIN</source>
        <translation>This person has already set a PIN</translation>
    </message>
    <message>
        <source>只有考场负责人可以设置 PIN</source>
        <translation>Only the site head can set a PIN</translation>
    </message>
</context>
<context>
    <name>StartScreen</name>
    <message>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>选择考试场次</source>
        <translation>Choose an exam sitting</translation>
    </message>
    <message>
        <source>打开所选场次(&amp;O)</source>
        <translation>&amp;Open the chosen sitting</translation>
    </message>
    <message>
        <source>打开本机上的场次，从评价机构的考点包创建场次，或手工新建场次并导入名单，或打开演示场次。</source>
        <translation>Open a sitting on this computer, create one from the institution&apos;s site kit, create one by hand and import its lists, or open the demo sitting.</translation>
    </message>
    <message>
        <source>从考点包创建(&amp;K)…</source>
        <translation>Create from a site &amp;kit…</translation>
    </message>
    <message>
        <source>新建场次(&amp;N)…</source>
        <translation>&amp;New sitting…</translation>
    </message>
    <message>
        <source>为所选场次导入名单(&amp;I)…</source>
        <translation>&amp;Import lists into the chosen sitting…</translation>
    </message>
    <message>
        <source>打开演示场次(&amp;D)</source>
        <translation>Open the &amp;demo sitting</translation>
    </message>
    <message>
        <source>设置(&amp;S)…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>（个人信息已清除）</source>
        <translation> (personal data purged)</translation>
    </message>
    <message>
        <source>请先选择一个场次</source>
        <translation>Choose a sitting first</translation>
    </message>
    <message>
        <source>正在准备演示场次…</source>
        <translation>Preparing the demo sitting…</translation>
    </message>
</context>
<context>
    <name>StatsPage</name>
    <message>
        <source>导出统计</source>
        <translation>Export statistics</translation>
    </message>
    <message>
        <source>统计（有效的违纪违规记录，或已作出处理决定的案件）</source>
        <translation>Statistics (records in force, or decided cases)</translation>
    </message>
    <message>
        <source>按事发日期统计记录</source>
        <translation>Records by incident date</translation>
    </message>
    <message>
        <source>按处理决定日期统计案件</source>
        <translation>Cases by decision date</translation>
    </message>
    <message>
        <source>日期范围(&amp;R)：</source>
        <translation>Date &amp;range:</translation>
    </message>
    <message>
        <source>统计(&amp;T)</source>
        <translation>Coun&amp;t</translation>
    </message>
    <message>
        <source>导出 Excel(&amp;X)…</source>
        <translation>E&amp;xport to Excel…</translation>
    </message>
    <message>
        <source>返回机构主页(&amp;B)</source>
        <translation>&amp;Back to the institution&apos;s home</translation>
    </message>
    <message>
        <source>分类</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>数量</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>按条</source>
        <translation>By article</translation>
    </message>
    <message>
        <source>按款项</source>
        <translation>By clause</translation>
    </message>
    <message>
        <source>按当事方</source>
        <translation>By party</translation>
    </message>
    <message>
        <source>按考点</source>
        <translation>By site</translation>
    </message>
    <message>
        <source>按职业（工种）及等级</source>
        <translation>By occupation and level</translation>
    </message>
    <message>
        <source>按评价类型</source>
        <translation>By evaluation type</translation>
    </message>
    <message>
        <source>按月份</source>
        <translation>By month</translation>
    </message>
    <message>
        <source>按备案职业（工种）</source>
        <translation>By filed occupation</translation>
    </message>
    <message>
        <source>合计：%1</source>
        <translation>Total: %1</translation>
    </message>
    <message>
        <source>未备案或超出备案范围</source>
        <translation>Nothing filed, or outside the filing</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>已导出：%1</source>
        <translation>Exported: %1</translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <source>陈述内容(&amp;T)：</source>
        <translation>Response &amp;text:</translation>
    </message>
    <message>
        <source>陈述和申辩(&amp;T)：</source>
        <translation>Statement and defence &amp;text:</translation>
    </message>
    <message>
        <source>收到日期(&amp;D)：</source>
        <translation>Received on (&amp;D):</translation>
    </message>
    <message>
        <source>文书(&amp;O)：</source>
        <translation>D&amp;ocument:</translation>
    </message>
    <message>
        <source>方式(&amp;M)：</source>
        <translation>&amp;Method:</translation>
    </message>
    <message>
        <source>日期(&amp;D)：</source>
        <translation>&amp;Date:</translation>
    </message>
    <message>
        <source>请当事人在期限内陈述（本机构工作规范，《指引》未规定期限）</source>
        <translation>Ask for a response by a date (institution practice; the guideline sets no deadline)</translation>
    </message>
    <message>
        <source>陈述期限(&amp;D)：</source>
        <translation>Respond &amp;by:</translation>
    </message>
    <message>
        <source>处理决定日期(&amp;D)：</source>
        <translation>&amp;Decision date:</translation>
    </message>
    <message>
        <source>书面送达当事人</source>
        <translation>Served on the person in writing</translation>
    </message>
    <message>
        <source>公告</source>
        <translation>Announced</translation>
    </message>
    <message>
        <source>送达方式(&amp;M)：</source>
        <translation>&amp;Made known by:</translation>
    </message>
    <message>
        <source>维持原处理决定</source>
        <translation>Uphold the decision</translation>
    </message>
    <message>
        <source>变更原处理决定</source>
        <translation>Change the decision</translation>
    </message>
    <message>
        <source>撤销原处理决定</source>
        <translation>Annul the decision</translation>
    </message>
    <message>
        <source>复核结论(&amp;O)：</source>
        <translation>&amp;Outcome:</translation>
    </message>
    <message>
        <source>不变</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <source>变更后的情节(&amp;S)：</source>
        <translation>&amp;Severity as changed:</translation>
    </message>
    <message>
        <source>监管部门(&amp;A)：</source>
        <translation>Regul&amp;ator:</translation>
    </message>
    <message>
        <source>报备日期(&amp;D)：</source>
        <translation>&amp;Date reported:</translation>
    </message>
    <message>
        <source>说明(&amp;N)：</source>
        <translation>&amp;Note:</translation>
    </message>
    <message>
        <source>移送至(&amp;A)：</source>
        <translation>Refer to (&amp;A):</translation>
    </message>
    <message>
        <source>按处理决定</source>
        <translation>As the decision provides</translation>
    </message>
    <message>
        <source>第七条：情节严重的，移送有关部门</source>
        <translation>Art. 7: serious, referred to the competent departments</translation>
    </message>
    <message>
        <source>第十条：考评人员证书颁发部门</source>
        <translation>Art. 10: the department that issued the assessor&apos;s certificate</translation>
    </message>
    <message>
        <source>第十五条：违反法律法规的，移交相关部门</source>
        <translation>Art. 15: laws broken, transferred to the competent departments</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>依据(&amp;B)：</source>
        <translation>&amp;Basis:</translation>
    </message>
    <message>
        <source>处理机关(&amp;A)：</source>
        <translation>&amp;Authority:</translation>
    </message>
    <message>
        <source>处理结论(&amp;C)：</source>
        <translation>&amp;Conclusion:</translation>
    </message>
    <message>
        <source>不适用或未认定</source>
        <translation>Not applicable or not determined</translation>
    </message>
    <message>
        <source>情节轻微</source>
        <translation>Minor</translation>
    </message>
    <message>
        <source>机构密钥口令(&amp;K)：</source>
        <translation>Institution &amp;key passphrase:</translation>
    </message>
    <message>
        <source>文书以评价机构的名义签名，须输入机构密钥口令。</source>
        <translation>Documents are signed in the institution&apos;s name: enter the institution passphrase.</translation>
    </message>
    <message>
        <source>情节严重</source>
        <translation>Serious</translation>
    </message>
    <message>
        <source>情节(&amp;S)：</source>
        <translation>&amp;Severity:</translation>
    </message>
    <message>
        <source>造成不良影响</source>
        <translation>Caused an adverse effect</translation>
    </message>
    <message>
        <source>未造成不良影响</source>
        <translation>No adverse effect</translation>
    </message>
    <message>
        <source>不良影响(&amp;E)：</source>
        <translation>Adverse &amp;effect:</translation>
    </message>
    <message>
        <source>认定所含记录的事实；仍待查明的事实须在此认定后，方可依条款确定处理。</source>
        <translation>Determine the facts of the records; the handling follows from the clauses only once the facts left open are determined here.</translation>
    </message>
    <message>
        <source>尚无可送达的文书。</source>
        <translation>No document to deliver yet.</translation>
    </message>
    <message>
        <source>请填写此项。</source>
        <translation>Fill this in.</translation>
    </message>
</context>
<context>
    <name>SubmittingDialog</name>
    <message>
        <source>出现意外问题，未能签名；详情已写入日志。</source>
        <extracomment>What the PIN is asked for (``app.ui.errors.PIN_ACTIONS``): the verb of a PIN message.</extracomment>
        <translation>An unexpected problem occurred and the signature was not saved; the details are in the log.</translation>
    </message>
</context>
<context>
    <name>Transcription</name>
    <message>
        <source>考生已在纸质记录上签字</source>
        <translation>The candidate signed the paper record</translation>
    </message>
    <message>
        <source>考生拒绝签字，工作人员见证：%1</source>
        <translation>The candidate refused to sign, witnessed by staff: %1</translation>
    </message>
    <message>
        <source>考生已离场，工作人员见证：%1</source>
        <translation>The candidate had left the site, witnessed by staff: %1</translation>
    </message>
    <message>
        <source>誊录纸质记录</source>
        <translation>Transcribe a paper record</translation>
    </message>
    <message>
        <source>笔记本电脑故障时在纸质备用表上填写并签字的记录，在此誊录进本机：选择誊录文件（JSON，格式见 docs/transcription.md）和签字后的纸质记录表扫描件，核对下方内容与纸质记录一致后，由考场负责人输入 PIN 确认。誊录的记录立即确认并封存，扫描件作为证据保存。</source>
        <translation>A record written and signed on the paper form when a laptop failed is entered here: choose the transcription file (JSON, see docs/transcription.md) and the scan of the signed paper form, check that what shows below matches the paper, then the site head confirms with their PIN. The transcribed record is confirmed and sealed at once, and the scan is kept as evidence.</translation>
    </message>
    <message>
        <source>誊录文件(&amp;F)：</source>
        <translation>Transcription &amp;file:</translation>
    </message>
    <message>
        <source>扫描件(&amp;S)：</source>
        <translation>&amp;Scan:</translation>
    </message>
    <message>
        <source>纸质记录内容：</source>
        <translation>The paper record says:</translation>
    </message>
    <message>
        <source>考场负责人(&amp;H)：</source>
        <translation>Site &amp;head:</translation>
    </message>
    <message>
        <source>考场负责人 PIN(&amp;P)：</source>
        <translation>Site head&apos;s &amp;PIN:</translation>
    </message>
    <message>
        <source>选择文件(&amp;O)…</source>
        <translation>&amp;Open file…</translation>
    </message>
    <message>
        <source>选择扫描件(&amp;C)…</source>
        <translation>Choose s&amp;can…</translation>
    </message>
    <message>
        <source>誊录并确认(&amp;T)</source>
        <translation>&amp;Transcribe and confirm</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>选择誊录文件后，这里显示其内容，请与纸质记录核对。</source>
        <translation>Once a transcription file is chosen, what it says shows here: check it against the paper record.</translation>
    </message>
    <message>
        <source>选择誊录文件</source>
        <translation>Choose the transcription file</translation>
    </message>
    <message>
        <source>誊录文件 (*.json)</source>
        <translation>Transcription files (*.json)</translation>
    </message>
    <message>
        <source>选择纸质记录表扫描件</source>
        <translation>Choose the scan of the paper form</translation>
    </message>
    <message>
        <source>扫描件 (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)</source>
        <translation>Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)</translation>
    </message>
    <message>
        <source>纸质记录表表号：%1</source>
        <translation>Paper form number: %1</translation>
    </message>
    <message>
        <source>条款：%1</source>
        <translation>Clause: %1</translation>
    </message>
    <message>
        <source>发生时间：%1</source>
        <translation>Time: %1</translation>
    </message>
    <message>
        <source>事实：%1</source>
        <translation>Facts: %1</translation>
    </message>
    <message>
        <source>纸质签名的工作人员：%1</source>
        <translation>Staff who signed on paper: %1</translation>
    </message>
    <message>
        <source>请选择纸质记录表扫描件。</source>
        <translation>Choose the scan of the paper form.</translation>
    </message>
    <message>
        <source>本场次没有考场负责人，无法誊录。</source>
        <translation>This session has no site head, so nothing can be transcribed.</translation>
    </message>
    <message>
        <source>誊录文件中的场次（session）不是当前打开的场次，请先打开该场次。</source>
        <translation>The transcription file&apos;s session is not the open session; open that session first.</translation>
    </message>
    <message>
        <source>请选择誊录文件。</source>
        <translation>Choose the transcription file.</translation>
    </message>
    <message>
        <source>考生：%1（准考证号或证件号码 %2）</source>
        <translation>Candidate: %1 (ticket or ID number %2)</translation>
    </message>
    <message>
        <source>名单中没有此人</source>
        <translation>not on the roster</translation>
    </message>
</context>
<context>
    <name>VideoList</name>
    <message>
        <source>请填写摄像头编号。</source>
        <translation>Enter the camera number.</translation>
    </message>
    <message>
        <source>录像的结束时间须晚于开始时间。</source>
        <translation>The footage must end after it starts.</translation>
    </message>
    <message>
        <source>摄像头 %1：%2–%3</source>
        <translation>Camera %1: %2–%3</translation>
    </message>
</context>
</TS>
