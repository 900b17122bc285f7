# Rapport 员工控制台 — 简体中文。
# 每条消息都与 en.ftl 一一对应（有单元测试检查）。

nav-label = 主菜单
nav-dashboard = 概览
nav-arrivals = 到店
search-label = 查找客人
search-placeholder = 姓名、电话、邮箱或编号
search-shortcut = 按 / 开始搜索
search-title = 客人
search-help = 可输入任意文字的姓名、拼音、任意格式的电话、邮箱或编号。
search-none = 未找到客人
search-found = 找到 { $n } 位客人
logout = 退出
language = 语言

login-title = 登录
login-intro = 酒店集团员工控制台。
login-user = 用户名
login-password = 密码
login-submit = 登录
login-failed = 用户名或密码错误。
login-throttled = 失败次数过多，请 { $minutes } 分钟后再试。

role-front-desk = 前台
role-guest-relations = 宾客关系
role-marketing = 市场营销
role-manager = 经理
role-admin = 管理员

error-title = 出错了
error-title-not-found = 未找到
error-title-forbidden = 无权操作
error-title-signed-out = 已退出
error-not-found = 此处没有内容，或不在您可查看的酒店范围内。
error-forbidden = 您的角色无权执行此操作。
error-csrf = 此表单已过期或并非来自 Rapport。请刷新页面后重试。
error-signed-out = 您的会话已结束，请重新登录。
error-conflict = 有人同时修改了此内容。请刷新后重试。
error-merged = 此档案已合并到另一个档案。请打开保留的档案后重试。
error-internal = 服务器无法完成此操作，已记录日志。
error-form-too-large = 表单内容过大。
error-language = 未知语言。
error-home = 返回概览

hotel = 酒店
date = 日期
show = 显示
print = 打印
save = 保存
cancel = 取消
today = 今天
in-days = { $count ->
    [one] 明天
   *[other] { $n } 天后
}
previous-day = 前一天
next-day = 后一天

dashboard-group = 整个集团
dashboard-guests = 客人
dashboard-stays = 入住
dashboard-returning = 回头客比例
dashboard-revenue = 收入
dashboard-revenue-by-month = 月度收入
dashboard-chart-title = { $hotel }：月度收入
dashboard-as-of = 数据截至 { $when }（UTC），每隔几分钟更新。

guest-edit = 编辑档案
guest-saved = 档案已保存。
guest-warnings = 过敏与禁忌
guest-identity = 身份与联系方式
guest-contacts = 联系方式
guest-family = 家庭成员
guest-no-family = 未记录家庭成员。
guest-preferences = 偏好
guest-no-preferences = 未记录偏好。
guest-consents = 同意
guest-stays = 入住记录
guest-no-stays = 在您可查看的酒店中没有入住记录。
guest-spend = 按类别消费
guest-no-spend = 在您可查看的酒店中没有消费记录。
guest-notes = 备注
guest-no-notes = 暂无备注。
guest-conflict = 您编辑期间，同事已保存此档案；您的修改未被保存。
guest-reload = 载入同事的版本
form-has-errors = 部分字段需要修改；未保存任何内容。

vip-code = VIP 代码
fact-birthday = 生日
fact-anniversary = 结婚纪念日
fact-language = 语言
fact-nationality = 国籍
fact-company = 公司
fact-external-ids = 其他系统编号
fact-member-since = 建档日期
age-years = { $n } 岁
contact-email = 邮箱
contact-phone = 电话
contact-address = 地址
contact-unverified = 不是有效的地址或号码；按原样保存
family-name = 姓名
family-relation = 关系

field-title = 称谓
field-given = 名
field-family = 姓
field-native = 本国文字姓名
field-tags = 标签（以逗号分隔）
field-emails = 邮箱（每行一个）
field-phones = 电话（每行一个）
field-street = 街道
field-postcode = 邮编
field-city = 城市
field-region = 省/州
field-country = 国家
field-preferences = 偏好
field-preferences-help = 每行一条：客房、餐饮或服务，然后 项目 = 值。例如：room: floor = high
field-taboos = 过敏与禁忌
field-taboos-help = 每行一条：过敏、禁忌或不喜欢，然后内容。例如：过敏: 花生
field-family-help = 每行一位：姓名; 关系; 生日（YYYY-MM-DD）。例如：Lily; 女儿; 2018-11-25

invalid-date = 不是有效日期；请写成 YYYY-MM-DD。
invalid-field = 此值无效。
invalid-name = 客人需要名、姓或本国文字姓名（每项最多 100 个字符）。
invalid-language = 不是语言代码，例如 en 或 zh-CN。
invalid-country = 不是国家代码，例如 CN 或 GB。
invalid-birthday = 生日不能晚于今天。
invalid-email = 不是有效的邮箱地址。
invalid-phone = 不是有效的电话号码。
invalid-family = 每位家庭成员需要姓名，生日不能晚于今天。
invalid-preference = 每条偏好请写成：room|food|service: 项目 = 值。
invalid-taboo = 每条请写成：过敏|禁忌|不喜欢: 内容。

pref-room = 客房
pref-food = 餐饮
pref-service = 服务
taboo-allergy = 过敏
taboo-taboo = 禁忌
taboo-dislike = 不喜欢

status-booked = 已预订
status-in-house = 在住
status-checked-out = 已退房
status-cancelled = 已取消
status-no-show = 未到店
stays-count = { $n } 次入住
nights-count = { $n } 晚
adults-count = { $n } 位成人
children-count = { $n } 位儿童
stay-requests = 特殊要求

spend-room = 客房
spend-food-beverage = 餐饮
spend-spa = 水疗
spend-laundry = 洗衣
spend-minibar = 迷你吧
spend-other = 其他

channel-email = 邮件
channel-sms = 短信
channel-phone = 电话
channel-post = 邮寄
channel-wechat = 微信
consent-granted = 同意
consent-refused = 拒绝
consent-unknown = 未询问

note-new = 新备注
note-about = 关于
note-about-guest = 客人整体
note-add = 添加备注
note-invalid = 备注需为 1 至 4,000 个字符。

occasion-birthday-guest = 生日
occasion-anniversary = 结婚纪念日
occasion-birthday-of = { $name } 的生日
occasion-birthday-turns = 生日：满 { $n } 岁
occasion-anniversary-years = 结婚纪念日：{ $n } 周年

arrivals-title = 到店简报
arrivals-none = 当天没有到店客人。
arrivals-count = { $n } 位到店客人
returning-guest = 回头客：{ $detail }
first-stay = 首次入住
earlier-stays = 此前入住 { $n } 次
last-visit = 上次入住 { $when }
earlier-notes = 员工备注
touch-allergy = 过敏
touch-taboo = 禁忌
touch-dislike = 不喜欢
touch-room-preference = 客房
touch-food-preference = 餐饮
touch-service-preference = 服务
touch-birthday = 生日
touch-anniversary = 纪念日
touch-special-request = 特殊要求

guest-value = 客户价值
guest-no-value = 尚未分析（价值分析每晚运行，也可执行 `rapport analyze`）。
value-scope = 范围
value-tier = 等级
value-rfm = RFM 细分
value-p-alive = 仍活跃概率
value-expected-stays = 未来一年入住
value-lifetime = 客户终身价值
value-churn = 流失风险
value-tier-history = 等级变化
tier-vip = VIP客户
tier-major = 主要客户
tier-ordinary = 普通客户
tier-small = 小客户
rfm-champions = 最佳客户
rfm-loyal = 忠诚客户
rfm-cannot-lose = 不能失去
rfm-at-risk = 有流失风险
rfm-new-or-promising = 新客户或有潜力
rfm-needs-attention = 需要关注
rfm-lapsed = 已流失
churn-low = 低
churn-medium = 中
churn-high = 高

# 重复档案：审核队列与合并记录。
nav-duplicates = 重复档案
duplicates-title = 疑似重复档案
duplicates-intro = 以下档案可能属于同一位客人。请比对后决定；较新的档案将合并到较早的档案中。
duplicates-empty = 暂无待审核的档案对。
duplicates-showing = 第 { $from }–{ $to } 条，共 { $total } 条
duplicates-probability = 匹配概率
duplicates-weight = 得分
duplicates-postponed = 已推迟
duplicates-evidence = 证据
duplicates-done-merge = 档案已合并。
duplicates-done-distinct = 已标记为不同的人，今后不会合并。
duplicates-done-later = 已推迟，该档案对排在队列末尾。
compare-name = 姓名
evidence-field = 字段
evidence-outcome = 结果
evidence-weight = 权重
evidence-detail = 比较内容
evidence-field-name = 姓名
evidence-field-given-name = 名
evidence-field-family-name = 姓
evidence-field-birth-date = 出生日期
evidence-field-email = 邮箱
evidence-field-phone = 电话
evidence-field-address = 地址
evidence-field-city = 城市
evidence-field-postcode = 邮编
evidence-field-country = 国家
evidence-field-company = 公司
evidence-field-id-document = 证件
outcome-agreed = 一致
outcome-partial = 部分一致
outcome-disagreed = 不一致
outcome-missing = 缺失
decide-merge = 合并
decide-distinct = 不是同一人
decide-later = 稍后决定
page-previous = 上一页
page-next = 下一页
guest-merges = 合并记录
merge-absorbed = 档案 #{ $id } 已合并到此档案
merge-into = 此档案已合并到 #{ $id }
merge-auto = 自动
merge-reason = 原因
merge-undo = 撤销合并
merge-undone = 已撤销
guest-merged-notice = 档案 #{ $id } 已合并到此档案，当前显示的是保留的档案。
guest-undone-notice = 合并已撤销：档案 #{ $id } 已重新独立。
fact-aliases = 别名
fact-alternatives = 合并档案中的其他值
