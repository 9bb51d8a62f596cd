/**
 * The vocabulary of the search workload's corpus (search-corpus.ts): English words in rough
 * order of frequency (drawn with a Zipf-like law, so the first are in most messages and the last
 * in few), and fragments of French, German, Chinese and Japanese, URLs and code. None contains a
 * planted term (search-corpus.ts PLANTED); the unit test checks it.
 */

/** Most frequent first: a Zipf draw picks rank k with weight 1 / k^s. */
export const ENGLISH = `
the to and a of i you it is in that for we on this be with have are not so can was just but
at if do will what my me your all get like know about up there one think out time now it's
good yes no from would should some then today new could work need see make when as did check
thanks still back how they go right more also here been want try look okay already tomorrow
meeting team people because which maybe sure day week really issue test after before other
fix build server update change code review call send let's any first last only same going
problem error file data user page while since around next into again something over why thing
please morning afternoon later done well much even though working branch ticket morning lunch
question answer idea plan report number version release notes customer support design system
weekend friday monday office remote schedule coffee doc docs link message reply thread channel
status green red yellow blue team's project roadmap budget quarter board slide demo client
browser mobile phone laptop screen window keyboard cache queue index table column query latency
memory network disk backup restore logs metric alert dashboard graph chart spike outage
incident postmortem oncall pager rotation holiday vacation travel flight train hotel airport
kitchen garden river mountain forest ocean island village bridge castle tower harbor lighthouse
violin piano guitar trumpet orchestra concert theatre museum gallery painting sculpture poem
novel chapter library teacher student school lesson homework exam grade pencil notebook
elephant giraffe penguin dolphin octopus sparrow falcon tiger lion zebra kangaroo badger otter
apricot blueberry cherry lemon mango melon orange papaya peach pear plum raspberry walnut
bicycle scooter tractor sailboat submarine rocket satellite telescope microscope compass
thermometer barometer anchor lantern blanket pillow curtain carpet ladder hammer chisel
`
  .trim()
  .split(/\s+/);

/** Words that carry the 3-character substring `ipp` inside them (PLANTED.substring). */
export const SUBSTRING_CARRIERS = ['shipping', 'shipped', 'slippery', 'hippo', 'Mississippi', 'tipping', 'zipper', 'dripping', 'clipping', 'skipper'];

export const FRENCH = `
le la les un une des et est très bien où à déjà été café école élève fenêtre forêt hôpital
château garçon français leçon reçu façon naïf Noël crème brûlée pâtes fête bientôt là-bas
peut-être théâtre musée réunion équipe problème système mise à jour demain après-midi
matinée soirée numéro première dernière télécharger sécurité connexion serveur installé
`
  .trim()
  .split(/\s+/);

export const GERMAN = `
der die das und ist nicht mit für auf ein eine Straße Größe groß schön über Übung Mädchen
Fußgängerüberweg Straßenbahnhaltestelle Kraftfahrzeugsteuer Donaudampfschifffahrtsgesellschaft
Rechtsschutzversicherungsgesellschaften Arbeitsunfähigkeitsbescheinigung Geschwindigkeitsbegrenzung
Bundesausbildungsförderungsgesetz Datenbankverbindung Serverwartungsfenster Besprechungsraum
Wochenendbereitschaft Fehlermeldung Benutzeroberfläche Lieferkettenproblem Hauptbahnhof
`
  .trim()
  .split(/\s+/);

/** Chinese clauses, joined without spaces into sentences. */
export const CHINESE = [
  '我们今天讨论一下', '服务器已经重启', '明天上午开会', '这个问题很严重', '请大家检查一下',
  '用户反馈说', '消息发送失败', '搜索功能很好用', '性能测试结果', '下周发布新版本',
  '部署到生产环境', '代码审查通过了', '谢谢你的帮助', '我们需要更多时间', '文档已经更新',
  '北京天气不错', '上海办公室', '项目进度正常', '周末加班', '午饭吃什么',
];

/** Japanese clauses (kanji, hiragana and katakana), joined without spaces. */
export const JAPANESE = [
  '東京の会議は', '明日の午後に', 'よろしくお願いします', 'サーバーが落ちました', 'テストは成功しました',
  '新しいバージョンを', 'リリースしました', '確認してください', 'ありがとうございます', '大阪支社から',
  'データベースの移行', '検索が速くなった', '来週の予定', 'お疲れ様です', 'ちょっと待ってください',
];

export const URLS = [
  'https://example.com/docs/getting-started',
  'https://github.com/acme/widgets/pull/4821',
  'https://status.acme.io/incidents/2025-11-03',
  'http://localhost:8080/api/v1/health?verbose=true',
  'https://en.wikipedia.org/wiki/Lighthouse',
  'https://calendar.acme.io/event/7f3a9c?ref=chat',
  'mailto:ops@acme.io',
];

export const CODE = [
  '`const rows = await db.select().from(users).where(eq(users.id, 42));`',
  '`SELECT count(*) FROM orders WHERE created_at > now() - interval \'1 day\';`',
  '`git rebase -i HEAD~3`',
  '`npm run build && npm test`',
  '`if (err != nil) { return fmt.Errorf("open: %w", err) }`',
  '`for i in range(10): print(i ** 2)`',
  '`kubectl rollout restart statefulset/redis`',
  '`curl -fsSL https://example.com/install.sh | sh`',
];
