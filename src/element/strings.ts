/**
 * The element's own texts (the hosted page has its own), in the languages FaceSign offers (`GET /langs`). A small
 * table rather than @lit/localize: that needs a build step per locale or runtime-loaded modules and ~2 kB of
 * its own, while the element has twenty short strings; each language is one `|`-joined line in the order of `EN`'s
 * keys, which gzip compresses well. The `strings` property replaces any text or adds a language.
 */
export const EN = {
  frameTitle: 'FaceSign identity verification',
  loading: 'Loading verification…',
  stalled: 'The verification session could not be renewed.',
  error: 'Verification could not continue.',
  unusable: 'This verification can’t be continued. Go back to the page you came from and start again.',
  canceled: 'Verification was closed.',
  complete: 'Verification complete.',
  tryAgain: 'Try again',
  startAgain: 'Start again',
  dialog: 'Identity verification',
  close: 'Close verification',
  cantHere: 'Your camera can’t be used on this page.',
  popup: 'Continue in a new window',
  popupOpen: 'Continue in the window that opened.',
  showPopup: 'Show the window',
  redirect: 'Continue',
  inApp: 'This app’s browser can’t use your camera. Open this page in your browser.',
  copy: 'Copy link',
  copied: 'Link copied',
  openBrowser: 'Open in browser',
  frameBlocked: 'This verification can’t be shown on this page.',
  pageLost: 'The verification page stopped responding.',
  popupBlocked: 'The verification window couldn’t be opened.',
  insecure: 'This page’s connection isn’t secure, so your camera can’t be used here.',
};
export type FaceSignStrings = typeof EN;
/** `strings`: texts by language code (`en`, `es-MX`, …), each replacing some or all of the built-in ones. */
export type FaceSignStringsByLang = Record<string, Partial<FaceSignStrings>>;

const LANGS: Record<string, string> = {
  es: 'Verificación de identidad FaceSign|Cargando la verificación…|No se pudo renovar la sesión de verificación.|La verificación no pudo continuar.|Esta verificación no puede continuar. Vuelve a la página de la que viniste y empieza de nuevo.|Se cerró la verificación.|Verificación completada.|Reintentar|Empezar de nuevo|Verificación de identidad|Cerrar la verificación|No se puede usar la cámara en esta página.|Continuar en una ventana nueva|Continúa en la ventana que se abrió.|Mostrar la ventana|Continuar|El navegador de esta app no puede usar la cámara. Abre esta página en tu navegador.|Copiar enlace|Enlace copiado|Abrir en el navegador|Esta verificación no se puede mostrar en esta página.|La página de verificación dejó de responder.|No se pudo abrir la ventana de verificación.|La conexión de esta página no es segura, así que no se puede usar la cámara aquí.',
  fr: 'Vérification d’identité FaceSign|Chargement de la vérification…|La session de vérification n’a pas pu être renouvelée.|La vérification n’a pas pu continuer.|Cette vérification ne peut pas continuer. Revenez à la page d’origine et recommencez.|La vérification a été fermée.|Vérification terminée.|Réessayer|Recommencer|Vérification d’identité|Fermer la vérification|Votre caméra ne peut pas être utilisée sur cette page.|Continuer dans une nouvelle fenêtre|Continuez dans la fenêtre qui s’est ouverte.|Afficher la fenêtre|Continuer|Le navigateur de cette app ne peut pas utiliser votre caméra. Ouvrez cette page dans votre navigateur.|Copier le lien|Lien copié|Ouvrir dans le navigateur|Cette vérification ne peut pas s’afficher sur cette page.|La page de vérification ne répond plus.|La fenêtre de vérification n’a pas pu s’ouvrir.|La connexion de cette page n’est pas sécurisée : votre caméra ne peut pas y être utilisée.',
  de: 'FaceSign-Identitätsprüfung|Prüfung wird geladen…|Die Prüfsitzung konnte nicht erneuert werden.|Die Prüfung konnte nicht fortgesetzt werden.|Diese Prüfung kann nicht fortgesetzt werden. Gehen Sie zur vorherigen Seite zurück und beginnen Sie neu.|Die Prüfung wurde geschlossen.|Prüfung abgeschlossen.|Erneut versuchen|Neu beginnen|Identitätsprüfung|Prüfung schließen|Ihre Kamera kann auf dieser Seite nicht verwendet werden.|In neuem Fenster fortfahren|Fahren Sie im geöffneten Fenster fort.|Fenster anzeigen|Weiter|Der Browser dieser App kann Ihre Kamera nicht nutzen. Öffnen Sie diese Seite in Ihrem Browser.|Link kopieren|Link kopiert|Im Browser öffnen|Diese Prüfung kann auf dieser Seite nicht angezeigt werden.|Die Prüfseite reagiert nicht mehr.|Das Prüffenster konnte nicht geöffnet werden.|Die Verbindung dieser Seite ist nicht sicher, daher kann Ihre Kamera hier nicht verwendet werden.',
  it: 'Verifica dell’identità FaceSign|Caricamento della verifica…|Non è stato possibile rinnovare la sessione di verifica.|La verifica non può continuare.|Questa verifica non può continuare. Torna alla pagina di provenienza e ricomincia.|La verifica è stata chiusa.|Verifica completata.|Riprova|Ricomincia|Verifica dell’identità|Chiudi la verifica|La fotocamera non può essere usata in questa pagina.|Continua in una nuova finestra|Continua nella finestra che si è aperta.|Mostra la finestra|Continua|Il browser di questa app non può usare la fotocamera. Apri questa pagina nel tuo browser.|Copia link|Link copiato|Apri nel browser|Questa verifica non può essere mostrata in questa pagina.|La pagina di verifica non risponde più.|Non è stato possibile aprire la finestra di verifica.|La connessione di questa pagina non è sicura, quindi qui non è possibile usare la fotocamera.',
  pt: 'Verificação de identidade FaceSign|Carregando a verificação…|Não foi possível renovar a sessão de verificação.|A verificação não pôde continuar.|Esta verificação não pode continuar. Volte à página de origem e comece de novo.|A verificação foi fechada.|Verificação concluída.|Tentar novamente|Começar de novo|Verificação de identidade|Fechar a verificação|Sua câmera não pode ser usada nesta página.|Continuar em uma nova janela|Continue na janela que foi aberta.|Mostrar a janela|Continuar|O navegador deste app não pode usar sua câmera. Abra esta página no seu navegador.|Copiar link|Link copiado|Abrir no navegador|Esta verificação não pode ser exibida nesta página.|A página de verificação parou de responder.|Não foi possível abrir a janela de verificação.|A conexão desta página não é segura, então sua câmera não pode ser usada aqui.',
  zh: 'FaceSign 身份验证|正在加载验证…|无法续期验证会话。|验证无法继续。|此验证无法继续。请返回来源页面并重新开始。|验证已关闭。|验证完成。|重试|重新开始|身份验证|关闭验证|此页面无法使用您的摄像头。|在新窗口中继续|请在已打开的窗口中继续。|显示窗口|继续|此应用的浏览器无法使用摄像头。请在您的浏览器中打开此页面。|复制链接|链接已复制|在浏览器中打开|此页面无法显示该验证。|验证页面已停止响应。|无法打开验证窗口。|此页面的连接不安全，因此无法在此使用摄像头。',
  ja: 'FaceSign 本人確認|本人確認を読み込んでいます…|確認セッションを更新できませんでした。|本人確認を続行できませんでした。|この本人確認は続行できません。元のページに戻って、もう一度始めてください。|本人確認を閉じました。|本人確認が完了しました。|再試行|最初からやり直す|本人確認|本人確認を閉じる|このページではカメラを使用できません。|新しいウィンドウで続ける|開いたウィンドウで続けてください。|ウィンドウを表示|続ける|このアプリのブラウザではカメラを使用できません。お使いのブラウザでこのページを開いてください。|リンクをコピー|リンクをコピーしました|ブラウザで開く|このページでは本人確認を表示できません。|本人確認ページが応答しなくなりました。|本人確認ウィンドウを開けませんでした。|このページの接続は安全ではないため、ここではカメラを使用できません。',
};

const KEYS = Object.keys(EN) as (keyof FaceSignStrings)[];
const builtIn = (code: string): Partial<FaceSignStrings> =>
  LANGS[code] ? Object.fromEntries(LANGS[code].split('|').map((t, i) => [KEYS[i], t])) : {};

/** Right-to-left scripts: the element's UI gets `dir="rtl"`, whatever language its texts come from. */
export const isRtl = (lang: string) => /^(ar|he|fa|ur)\b/i.test(lang);

/** The texts for `lang` (`es-MX` uses `es`): English, then the built-in language, then the page's own. */
export function textsFor(lang: string, own: FaceSignStringsByLang | undefined): FaceSignStrings {
  const code = lang.toLowerCase();
  const base = code.split('-')[0]!;
  const mine = (k: string) => (own && typeof own === 'object' ? Object.entries(own).find(([l]) => l.toLowerCase() === k)?.[1] : undefined);
  return { ...EN, ...builtIn(base), ...mine(base), ...mine(code) };
}
