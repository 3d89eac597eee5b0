//! Demo case files of the demo district, so the executive committee's
//! suggestions show on a fresh database: imported from a spreadsheet
//! through the same parser and storage as an administrator's import. Three
//! belong to demo requests — by the owner's national ID, by the number the
//! citizen wrote, by the owner's name — and the rest to nobody on screen.

use domain::case_files::read_spreadsheet;

use super::demo_requests::demo_national_id;
use super::{DEMO_DISTRICT, SeedError};
use crate::case_files::queries;
use crate::db::{self, Db};

pub async fn seed(db: &Db) -> Result<(), SeedError> {
    let district = domain::district::DistrictId::new(DEMO_DISTRICT)
        .map_err(|_| SeedError::Demo("the demo district is out of range".into()))?;
    let rows = read_spreadsheet(&spreadsheet()).map_err(|problems| {
        SeedError::Demo(format!("the demo case files do not read: {problems:?}"))
    })?;
    let mut tx = db::begin_write(db).await?;
    queries::import(&mut tx, district, rows)
        .await
        .map_err(|error| SeedError::Demo(error.to_string()))?;
    tx.commit().await?;
    Ok(())
}

fn spreadsheet() -> String {
    let maryam = demo_national_id(0);
    let zahra = demo_national_id(4);
    format!(
        "شماره پرونده,موضوع,نشانی,نام مالک,کد ملی مالک,وضعیت,آخرین اقدام\n\
         6/1402/12,پروانهٔ ساخت در کمیسیون ماده صد,خیابان کاوه، کوچهٔ ۱۴,مریم کاظمی,{maryam},در کمیسیون,1403/02/18\n\
         6/1400/310,ایمنی تقاطع خیابان مدرس,تقاطع مدرس و سروش,فاطمه موسوی,,در دست بررسی,1402/11/05\n\
         6/1401/88,جمع‌آوری پسماند,کوچهٔ ارغوان,علی رضایی,,مختومه,1401/09/30\n\
         6/1403/41,بازسازی پیاده‌رو پس از حفاری,خیابان اصلی محله,زهرا نوری,{zahra},در جریان,1403/06/02\n\
         6/1399/7,تغییر کاربری باغ,خیابان بهار,شرکت ساختمانی نمونه,,مختومه,1400/01/20\n\
         6/1402/150,روشنایی معابر,کوچهٔ یاس,محمد کریمی,,در جریان,1403/04/11\n\
         6/1403/9,ساماندهی دست‌فروشان,میدان محله,اتحادیهٔ صنف نمونه,,در دست بررسی,1403/07/01\n"
    )
}
