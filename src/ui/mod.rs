//! The eframe application (placeholder until the window issue lands).

/// Opens the window.
pub fn run(_paths: Vec<String>) -> eframe::Result<()> {
    eframe::run_native("sco-reader", eframe::NativeOptions::default(), Box::new(|_cc| Ok(Box::new(Placeholder))))
}

struct Placeholder;

impl eframe::App for Placeholder {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label("sco-reader");
        });
    }
}
