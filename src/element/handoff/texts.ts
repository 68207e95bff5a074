/**
 * The texts of continuing on the phone, in the element's eight languages: a module of the handoff's own chunk, so a
 * page that never offers the phone downloads none of them. `strings` overrides them like any other text (the same
 * keys under the same language).
 */
export const HANDOFF_EN = {
  phone: 'Continue on your phone',
  stayHere: 'Stay on this device',
  phoneBestTitle: 'Verify with your phone',
  phoneBest: 'Your phone’s camera works best for this. You can also stay on this computer.',
  phoneMinting: 'Preparing a code for your phone…',
  phoneScanTitle: 'Scan this code with your phone',
  phoneScan: 'Point your phone’s camera at the code, or open the link below on your phone.',
  phoneQr: 'QR code that opens this verification on your phone',
  phoneValidUntil: 'This code works until',
  phoneNewCode: 'Show a new code',
  phoneExpiredTitle: 'This code has expired',
  phoneExpired: 'Codes work for a few minutes only. Show a new one to continue.',
  phoneOpenTitle: 'Continue on your phone',
  phoneOpen: 'Your verification is open on your phone. Keep this page open: it updates as you go.',
  phoneSteps: 'Steps completed on your phone:',
  phoneLeftTitle: 'Your phone’s page is not open',
  phoneLeft: 'Open it again on your phone to go on, or show a new code to start there again.',
};
export type FaceSignHandoffStrings = typeof HANDOFF_EN;

const KEYS = Object.keys(HANDOFF_EN) as (keyof FaceSignHandoffStrings)[];
/** each language one `|`-joined line in the order of HANDOFF_EN's keys, as langs.ts has the element's other texts */
const LANGS: Record<string, string> = {
  es: 'Continuar en tu teléfono|Quedarme en este dispositivo|Verifica con tu teléfono|La cámara de tu teléfono funciona mejor para esto. También puedes seguir en este ordenador.|Preparando un código para tu teléfono…|Escanea este código con tu teléfono|Apunta la cámara de tu teléfono al código o abre el enlace de abajo en tu teléfono.|Código QR que abre esta verificación en tu teléfono|Este código funciona hasta las|Mostrar un código nuevo|Este código ha caducado|Los códigos solo funcionan unos minutos. Muestra uno nuevo para continuar.|Continúa en tu teléfono|Tu verificación está abierta en tu teléfono. Deja esta página abierta: se actualiza sola.|Pasos completados en tu teléfono:|La página de tu teléfono no está abierta|Ábrela de nuevo en tu teléfono para seguir o muestra un código nuevo para empezar allí otra vez.',
  fr: 'Continuer sur votre téléphone|Rester sur cet appareil|Vérifiez avec votre téléphone|La caméra de votre téléphone convient mieux. Vous pouvez aussi rester sur cet ordinateur.|Préparation d’un code pour votre téléphone…|Scannez ce code avec votre téléphone|Visez le code avec la caméra de votre téléphone, ou ouvrez le lien ci-dessous sur votre téléphone.|Code QR qui ouvre cette vérification sur votre téléphone|Ce code est valable jusqu’à|Afficher un nouveau code|Ce code a expiré|Les codes ne sont valables que quelques minutes. Affichez-en un nouveau pour continuer.|Continuez sur votre téléphone|Votre vérification est ouverte sur votre téléphone. Gardez cette page ouverte : elle se met à jour.|Étapes terminées sur votre téléphone :|La page n’est plus ouverte sur votre téléphone|Rouvrez-la sur votre téléphone pour continuer, ou affichez un nouveau code pour y recommencer.',
  de: 'Auf dem Smartphone fortfahren|Auf diesem Gerät bleiben|Mit dem Smartphone prüfen|Die Kamera Ihres Smartphones eignet sich am besten. Sie können auch an diesem Computer bleiben.|Code für Ihr Smartphone wird erstellt…|Code mit dem Smartphone scannen|Richten Sie die Smartphone-Kamera auf den Code oder öffnen Sie dort den Link unten.|QR-Code, der diese Prüfung auf Ihrem Smartphone öffnet|Dieser Code gilt bis|Neuen Code anzeigen|Dieser Code ist abgelaufen|Codes gelten nur wenige Minuten. Zeigen Sie einen neuen an, um fortzufahren.|Fahren Sie auf Ihrem Smartphone fort|Ihre Prüfung ist auf Ihrem Smartphone geöffnet. Lassen Sie diese Seite offen: Sie wird aktualisiert.|Auf dem Smartphone erledigte Schritte:|Die Seite auf Ihrem Smartphone ist nicht geöffnet|Öffnen Sie sie dort erneut, um fortzufahren, oder zeigen Sie einen neuen Code an, um dort neu zu beginnen.',
  it: 'Continua sul telefono|Resta su questo dispositivo|Verifica con il telefono|La fotocamera del telefono è la più adatta. Puoi anche restare su questo computer.|Preparazione di un codice per il telefono…|Scansiona questo codice con il telefono|Inquadra il codice con la fotocamera del telefono o apri sul telefono il link qui sotto.|Codice QR che apre questa verifica sul telefono|Questo codice vale fino alle|Mostra un nuovo codice|Questo codice è scaduto|I codici valgono solo pochi minuti. Mostrane uno nuovo per continuare.|Continua sul telefono|La verifica è aperta sul telefono. Tieni aperta questa pagina: si aggiorna da sola.|Passaggi completati sul telefono:|La pagina sul telefono non è aperta|Riaprila sul telefono per continuare o mostra un nuovo codice per ricominciare lì.',
  pt: 'Continuar no celular|Ficar neste dispositivo|Verifique com seu celular|A câmera do celular funciona melhor para isso. Você também pode continuar neste computador.|Preparando um código para o seu celular…|Escaneie este código com o celular|Aponte a câmera do celular para o código ou abra o link abaixo no celular.|Código QR que abre esta verificação no seu celular|Este código vale até|Mostrar um novo código|Este código expirou|Os códigos valem só alguns minutos. Mostre um novo para continuar.|Continue no celular|Sua verificação está aberta no celular. Mantenha esta página aberta: ela se atualiza sozinha.|Etapas concluídas no celular:|A página no seu celular não está aberta|Abra-a de novo no celular para continuar ou mostre um novo código para recomeçar lá.',
  zh: '在手机上继续|留在此设备上|用手机验证|手机摄像头效果最好。您也可以继续使用这台电脑。|正在为您的手机生成二维码…|用手机扫描此二维码|用手机摄像头对准二维码，或在手机上打开下方链接。|在您的手机上打开此验证的二维码|此二维码有效期至|显示新的二维码|此二维码已过期|二维码仅在几分钟内有效。请显示新的二维码以继续。|请在手机上继续|验证已在您的手机上打开。请保持此页面打开，它会随进度更新。|手机上已完成的步骤：|手机上的页面未打开|请在手机上重新打开以继续，或显示新的二维码在手机上重新开始。',
  ja: 'スマートフォンで続ける|この端末で続ける|スマートフォンで本人確認|スマートフォンのカメラが最適です。このパソコンで続けることもできます。|スマートフォン用のコードを準備しています…|このコードをスマートフォンで読み取ってください|スマートフォンのカメラをコードに向けるか、下のリンクをスマートフォンで開いてください。|この本人確認をスマートフォンで開く QR コード|このコードの有効期限|新しいコードを表示|このコードは有効期限が切れました|コードは数分間だけ有効です。続けるには新しいコードを表示してください。|スマートフォンで続けてください|本人確認はスマートフォンで開いています。このページは開いたままにしてください（自動で更新されます）。|スマートフォンで完了したステップ：|スマートフォンのページが開いていません|続けるにはスマートフォンでもう一度開くか、新しいコードを表示してやり直してください。',
};

/** The handoff's texts for `lang` (`es-MX` uses `es`), with what the element's texts `t` already override (`strings`). */
export function handoffTexts(lang: string, t: object): FaceSignHandoffStrings {
  const line = LANGS[lang.toLowerCase().split('-')[0]!];
  const built = line ? Object.fromEntries(line.split('|').map((s, i) => [KEYS[i], s])) : {};
  const own = Object.fromEntries(KEYS.filter((k) => k in t).map((k) => [k, (t as Record<string, string>)[k]]));
  return { ...HANDOFF_EN, ...built, ...own };
}
